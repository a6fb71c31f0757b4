package accountnet

import "time"

// Clock supplies the current time. Every part of the service reads time
// through one Clock so that tests can move it instead of sleeping.
type Clock interface {
	Now() time.Time
}

// SystemClock reads the wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }
