package password

import "testing"

func TestHashAndCheck(t *testing.T) {
	h := Default.Hash("correct horse")

	ok, err := Check("correct horse", h)
	if err != nil || !ok {
		t.Fatalf("Check(right password) = %v, %v", ok, err)
	}
	ok, err = Check("wrong horse", h)
	if err != nil || ok {
		t.Fatalf("Check(wrong password) = %v, %v", ok, err)
	}
	if h == Default.Hash("correct horse") {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
}

func TestCheckMalformed(t *testing.T) {
	for _, h := range []string{"", "$argon2id$", "$bcrypt$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=18$m=1,t=1,p=1$AA$AA"} {
		if ok, err := Check("x", h); ok || err == nil {
			t.Errorf("Check(%q) = %v, %v; want false and an error", h, ok, err)
		}
	}
}

func TestValidate(t *testing.T) {
	cases := map[[2]string]string{
		{"short", "u"}:             "Use at least 8 characters.",
		{"JaneDoe42", "janedoe42"}: "The password cannot be the same as the username or email.",
		{"long enough", "jane"}:    "",
	}
	for in, want := range cases {
		if got := Validate(in[0], in[1]); got != want {
			t.Errorf("Validate(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}
