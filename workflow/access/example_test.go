package access_test

import (
	"context"
	"fmt"

	"github.com/fz59/appeals/workflow/access"
)

// At registration: make the PIN, send it to the applicant once, keep only the Secret. At a
// lookup: check the entered PIN against the stored Secret.
func ExampleNewPIN() {
	pin, sec, err := access.NewPIN()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(pin), access.PINBits)
	fmt.Println(access.Verify(sec, pin), access.Verify(sec, "0000-0000-0000"))
	fmt.Println(access.Verify(access.Secret{}, pin)) // unknown number: same answer as a wrong PIN
	// Output:
	// 14 60
	// true false
	// false
}

// A status page asks the limiter before each lookup and tells it the outcome. A client that
// keeps guessing at a number is locked out; the citizen, on their own client, still gets in.
func ExampleMemoryLimiter() {
	ctx := context.Background()
	lim := access.NewMemoryLimiter(access.LimiterOptions{}) // 10 failures, then one each 6 minutes
	lookup := func(client string, pinOK bool) error {
		at := access.Attempt{Client: client, Number: "Ж-2026-000123"}
		if err := lim.Allow(ctx, at); err != nil {
			return err
		}
		lim.Done(ctx, at, !pinOK)
		return nil
	}
	for range 10 {
		_ = lookup("198.51.100.9", false)
	}
	fmt.Println(lookup("198.51.100.9", false))
	fmt.Println(lookup("203.0.113.7", true))
	// Output:
	// access: too many attempts, try later
	// <nil>
}
