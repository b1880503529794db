package access

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"strings"
)

// The PIN: 12 symbols of Crockford's base-32 alphabet (no I, L, O, U), 5 bits each, 60 bits
// in all, shown in three groups of four ("7K2M-QX9D-4TNB"). Sixty bits put an offline search
// of a leaked hash out of reach even before the key-derivation cost; the groups make it easy
// to read out over the phone.
const (
	// PINLength is the number of symbols in a PIN, hyphens not counted.
	PINLength = 12
	// PINBits is the PIN's entropy in bits.
	PINBits   = PINLength * 5
	alphabet  = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	groupSize = 4
)

// Hash format: one version byte, then the derived key. Version 1 is PBKDF2-HMAC-SHA256 with
// kdfIterations rounds over a 16-byte salt; a new version can raise the cost while old
// hashes still verify.
const (
	hashVersion   = 1
	kdfIterations = 16000
	keyLen        = sha256.Size
	saltLen       = 16
)

// dummySalt is used when the Secret to check against is absent or damaged, so that a lookup
// of an unknown number costs the same as one of a known number with a wrong PIN.
const dummySalt = "fz59/appeals:nil"

// Secret is what is kept of a PIN: its salted hash and the salt. It never holds the PIN. Its
// shape is that of workflow.Access: convert with workflow.Access(sec) and access.Secret(acc).
type Secret struct {
	// PINHash is a version byte followed by PBKDF2-HMAC-SHA256(pin, Salt).
	PINHash []byte `json:"pinHash"`
	// Salt is random, 16 bytes, one per PIN.
	Salt []byte `json:"salt"`
}

// NewPIN makes a fresh PIN from crypto/rand and its Secret. Show the PIN to the applicant
// once (in the registration notice) and keep only the Secret.
func NewPIN() (pin string, sec Secret, err error) {
	pin, err = randomPIN()
	if err != nil {
		return "", Secret{}, err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", Secret{}, fmt.Errorf("access: new PIN: %w", err)
	}
	key, err := derive(normalize(pin), salt)
	if err != nil {
		return "", Secret{}, err
	}
	return pin, Secret{PINHash: append([]byte{hashVersion}, key...), Salt: salt}, nil
}

// randomPIN draws the PIN's symbols from crypto/rand, in groups.
func randomPIN() (string, error) {
	raw := make([]byte, PINLength)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("access: new PIN: %w", err)
	}
	var b strings.Builder
	b.Grow(PINLength + PINLength/groupSize - 1)
	for i, x := range raw {
		if i > 0 && i%groupSize == 0 {
			b.WriteByte('-')
		}
		// 32 divides 256, so the low five bits of a random byte are uniform.
		b.WriteByte(alphabet[x&31])
	}
	return b.String(), nil
}

// maxEntry bounds an entered PIN, in bytes: twelve symbols typed as two-byte Cyrillic
// look-alikes with a separator between any two take 35.
const maxEntry = 64

// Verify reports whether pin is the PIN of sec. The entered PIN may be in either case, with
// or without hyphens and spaces, with O for 0, I or L for 1, and with Cyrillic letters that
// look like Latin ones (а, в, е, к, м, н, о, р, с, т, у, х) — what a person types from a
// letter on a Russian keyboard.
//
// An entry that cannot be a PIN — longer than 64 bytes, or not 12 symbols of the alphabet
// once normalized — is refused at once, before any hashing: that costs the same whatever sec
// is, and tells nothing about it. For every other entry Verify takes the same time whether
// sec is valid, empty or damaged (TestVerifyTimingDoesNotDependOnTheSecret): call it with a
// zero Secret when the number is unknown, so that an unknown number and a wrong PIN cannot be
// told apart by the answer or by its timing. The keys are compared with
// subtle.ConstantTimeCompare.
func Verify(sec Secret, pin string) bool {
	entry, ok := canonical(pin)
	if !ok {
		return false
	}
	wellFormed := len(sec.PINHash) == 1+keyLen && sec.PINHash[0] == hashVersion && len(sec.Salt) == saltLen
	salt, want := []byte(dummySalt), make([]byte, keyLen)
	if wellFormed {
		salt, want = sec.Salt, sec.PINHash[1:]
	}
	key, err := derive(entry, salt)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(key, want) == 1 && wellFormed
}

// canonical normalizes an entered PIN and reports whether it has a PIN's form.
func canonical(pin string) (string, bool) {
	if len(pin) > maxEntry {
		return "", false
	}
	s := normalize(pin)
	if len(s) != PINLength || strings.Trim(s, alphabet) != "" {
		return "", false
	}
	return s, true
}

func derive(pin string, salt []byte) ([]byte, error) {
	key, err := pbkdf2.Key(sha256.New, pin, salt, kdfIterations, keyLen)
	if err != nil {
		return nil, fmt.Errorf("access: derive key: %w", err)
	}
	return key, nil
}

// normalize maps what a person may type onto the PIN alphabet: upper case, no separators,
// Crockford's substitutions and Cyrillic look-alikes. Anything else is kept as it is and so
// cannot match.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case '-', ' ', '\t':
			continue
		case 'O', 'О':
			r = '0'
		case 'I', 'L':
			r = '1'
		case 'А':
			r = 'A'
		case 'В':
			r = 'B'
		case 'Е':
			r = 'E'
		case 'К':
			r = 'K'
		case 'М':
			r = 'M'
		case 'Н':
			r = 'H'
		case 'Р':
			r = 'P'
		case 'С':
			r = 'C'
		case 'Т':
			r = 'T'
		case 'У':
			r = 'Y'
		case 'Х':
			r = 'X'
		}
		b.WriteRune(r)
	}
	return b.String()
}
