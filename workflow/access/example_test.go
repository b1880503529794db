package access_test

import (
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
