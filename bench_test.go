package accountnet

import "testing"

func BenchmarkHashToken(b *testing.B) {
	token := NewToken(SecretSession)
	for b.Loop() {
		HashToken(token)
	}
}

func BenchmarkNewToken(b *testing.B) {
	for b.Loop() {
		NewToken("")
	}
}

func BenchmarkParsePercent(b *testing.B) {
	for b.Loop() {
		if _, err := ParsePercent("16.425"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkShare(b *testing.B) {
	fee := Percent(2255)
	var sum int64
	for i := 0; b.Loop(); i++ {
		sum += fee.Share(int64(i%100000) - 50000)
	}
	_ = sum
}

func BenchmarkNormalizeEmail(b *testing.B) {
	for b.Loop() {
		if _, _, err := NormalizeEmail("  Jane.Doe+tag@Example.COM "); err != nil {
			b.Fatal(err)
		}
	}
}
