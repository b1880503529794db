// Package site keeps what the internet reception needs besides the engine's store: the staff's
// logins and roles, the receipts it gives citizens at night (a receipt number and a PIN that
// work before the appeal is registered), and its settings. It is one small SQL schema that
// runs on the SQLite file the engine's store uses, on a PostgreSQL database, or in memory.
//
//	db, err := site.OpenSQLite("reception.db")             // or OpenPostgres(dsn), OpenMemory()
//	number, pin, err := db.NewReceipt(ctx, appealID, now)  // show both once; only a hash of the PIN is kept
//	id, err := db.CheckReceipt(ctx, number, pin)           // ErrNoAccess alike for a wrong number or PIN
package site

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/access"
	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// Errors of the package; none holds a login, a password, a number or a PIN.
var (
	// ErrNoAccess: an unknown receipt number or a wrong PIN (the two are not told apart).
	ErrNoAccess = errors.New("site: unknown receipt number or wrong PIN")
	// ErrLogin: an unknown login or a wrong password (the two are not told apart).
	ErrLogin = errors.New("site: unknown login or wrong password")
	// ErrExists: the login is taken.
	ErrExists = errors.New("site: login exists")
)

// DB is the site's database. It is safe for concurrent use.
type DB struct {
	db *sql.DB
}

// schema works on SQLite and PostgreSQL alike: text, integers and $n parameters only.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS reception_staff (
		login TEXT PRIMARY KEY, name TEXT NOT NULL, roles TEXT NOT NULL, salt TEXT NOT NULL, hash TEXT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS reception_receipts (
		number TEXT PRIMARY KEY, appeal TEXT NOT NULL, salt TEXT NOT NULL, hash TEXT NOT NULL, created BIGINT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS reception_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
}

// OpenSQLite opens the site's tables in the SQLite file at path — the engine's store file, so
// that one backup keeps both — creating them when missing.
func OpenSQLite(path string) (*DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "wal_autocheckpoint(0)") // the store's checkpointer copies the log
	return open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode(), 1)
}

// OpenMemory opens a database in memory, gone when closed: for -memory runs and tests.
func OpenMemory() (*DB, error) {
	return open("sqlite", "file:site-"+uuid.NewString()+"?mode=memory&cache=shared", 1)
}

// OpenPostgres opens the site's tables in the PostgreSQL database at dsn.
func OpenPostgres(dsn string) (*DB, error) { return open("pgx", dsn, 8) }

func open(driver, dsn string, conns int) (*DB, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("site: open: %w", err)
	}
	db.SetMaxOpenConns(conns) // SQLite: one writer, whose writes queue here rather than on the lock
	for _, s := range schema {
		if _, err := db.Exec(s); err != nil {
			db.Close()
			return nil, fmt.Errorf("site: schema: %w", err)
		}
	}
	return &DB{db: db}, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// Staff is a member of staff as the site knows them.
type Staff struct {
	// Login is the login and the actor's id in the engine's history (not personal data: a
	// staff id such as "clerk").
	Login string
	// Name is the name shown on pages.
	Name string
	// Roles are the engine's roles.
	Roles []workflow.Role
}

// Actor is the staff member as the engine's actor.
func (s Staff) Actor() workflow.Actor { return workflow.Actor{ID: s.Login, Roles: s.Roles} }

// kdfIterations is PBKDF2-SHA256's work factor for passwords and PINs.
const kdfIterations = 100_000

func hashSecret(secret string, salt []byte) string {
	k, err := pbkdf2.Key(sha256.New, secret, salt, kdfIterations, 32)
	if err != nil {
		panic(err) // only for lengths out of range, which these constants are not
	}
	return hex.EncodeToString(k)
}

// AddStaff adds a member of staff with a password; only a salted hash of it is kept.
func (d *DB) AddStaff(ctx context.Context, s Staff, password string) error {
	salt := make([]byte, 16)
	rand.Read(salt)
	roles := make([]string, len(s.Roles))
	for i, r := range s.Roles {
		roles[i] = string(r)
	}
	_, err := d.db.ExecContext(ctx, `INSERT INTO reception_staff (login, name, roles, salt, hash) VALUES ($1, $2, $3, $4, $5)`,
		s.Login, s.Name, strings.Join(roles, ","), hex.EncodeToString(salt), hashSecret(password, salt))
	if err != nil {
		if n, _ := d.countStaff(ctx, s.Login); n > 0 {
			return ErrExists
		}
		return fmt.Errorf("site: add staff: %w", err)
	}
	return nil
}

func (d *DB) countStaff(ctx context.Context, login string) (int, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM reception_staff WHERE login = $1 OR $1 = ''`, login).Scan(&n)
	return n, err
}

// HasStaff reports whether any member of staff exists (a first start has none).
func (d *DB) HasStaff(ctx context.Context) (bool, error) {
	n, err := d.countStaff(ctx, "")
	if err != nil {
		return false, fmt.Errorf("site: staff: %w", err)
	}
	return n > 0, nil
}

// Staff lists the staff, by login.
func (d *DB) Staff(ctx context.Context) ([]Staff, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT login, name, roles FROM reception_staff ORDER BY login`)
	if err != nil {
		return nil, fmt.Errorf("site: staff: %w", err)
	}
	defer rows.Close()
	var out []Staff
	for rows.Next() {
		var s Staff
		var roles string
		if err := rows.Scan(&s.Login, &s.Name, &roles); err != nil {
			return nil, fmt.Errorf("site: staff: %w", err)
		}
		s.Roles = parseRoles(roles)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("site: staff: %w", err)
	}
	return out, nil
}

func parseRoles(s string) []workflow.Role {
	var out []workflow.Role
	for r := range strings.SplitSeq(s, ",") {
		if r != "" {
			out = append(out, workflow.Role(r))
		}
	}
	return out
}

// Authenticate checks a login and password. An unknown login costs the same hashing as a
// known one, so the answer's time does not tell which logins exist.
func (d *DB) Authenticate(ctx context.Context, login, password string) (Staff, error) {
	s := Staff{Login: login}
	var roles, salt, want string
	err := d.db.QueryRowContext(ctx, `SELECT name, roles, salt, hash FROM reception_staff WHERE login = $1`, login).
		Scan(&s.Name, &roles, &salt, &want)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Staff{}, fmt.Errorf("site: authenticate: %w", err)
	}
	saltBytes, _ := hex.DecodeString(salt)
	got := hashSecret(password, saltBytes)
	if err != nil || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return Staff{}, ErrLogin
	}
	s.Roles = parseRoles(roles)
	return s, nil
}

// Receipt numbers are eight random digits shown as "1234-5678": short enough to read out over
// the phone, and a space of 10⁸ in which a guess is worth little behind the PIN and the limiter.
const receiptDigits = 8

// NewReceipt gives the citizen a receipt for the appeal with the id: a fresh number and a PIN
// (access.NewPIN), returned in clear once; only the PIN's salted slow hash is kept.
func (d *DB) NewReceipt(ctx context.Context, appealID uuid.UUID, now time.Time) (number, pin string, err error) {
	pin, sec, err := access.NewPIN()
	if err != nil {
		return "", "", fmt.Errorf("site: receipt: %w", err)
	}
	for range 8 { // a taken number is drawn again; eight misses in a row mean a full space
		n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
		if err != nil {
			return "", "", fmt.Errorf("site: receipt: %w", err)
		}
		number = fmt.Sprintf("%08d", n.Int64())
		res, err := d.db.ExecContext(ctx, `INSERT INTO reception_receipts (number, appeal, salt, hash, created)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (number) DO NOTHING`,
			number, appealID.String(), hex.EncodeToString(sec.Salt), hex.EncodeToString(sec.PINHash), now.Unix())
		if err != nil {
			return "", "", fmt.Errorf("site: receipt: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 1 {
			return FormatReceipt(number), pin, nil
		}
	}
	return "", "", errors.New("site: receipt: no free number")
}

// FormatReceipt writes a receipt number as the citizen sees it, "1234-5678".
func FormatReceipt(digits string) string { return digits[:4] + "-" + digits[4:] }

// ReceiptDigits returns the digits of an entered receipt number ("1234-5678", "1234 5678") and
// whether it is one at all; a registration number ("Ж-2025-000001") is not.
func ReceiptDigits(entered string) (string, bool) {
	d := strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, entered)
	if len(d) != receiptDigits || strings.ContainsFunc(d, func(r rune) bool { return r < '0' || r > '9' }) {
		return "", false
	}
	return d, true
}

// CheckReceipt returns the appeal of a receipt when the PIN is its PIN, and ErrNoAccess when the
// number is unknown or the PIN wrong, in the same time for both (access.Verify against an empty
// secret). Rate limiting is the caller's (the engine's access.Limiter).
func (d *DB) CheckReceipt(ctx context.Context, entered, pin string) (uuid.UUID, error) {
	digits, ok := ReceiptDigits(entered)
	var id, salt, hash string
	if ok {
		err := d.db.QueryRowContext(ctx, `SELECT appeal, salt, hash FROM reception_receipts WHERE number = $1`, digits).
			Scan(&id, &salt, &hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return uuid.Nil, fmt.Errorf("site: receipt: %w", err)
		}
	}
	var sec access.Secret
	sec.Salt, _ = hex.DecodeString(salt)
	sec.PINHash, _ = hex.DecodeString(hash)
	if !access.Verify(sec, pin) || id == "" {
		return uuid.Nil, ErrNoAccess
	}
	return uuid.Parse(id)
}

// Setting returns a setting's value, and false when it is not set.
func (d *DB) Setting(ctx context.Context, name string) (string, bool, error) {
	var v string
	err := d.db.QueryRowContext(ctx, `SELECT value FROM reception_settings WHERE name = $1`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("site: setting: %w", err)
	}
	return v, true, nil
}

// SetSetting sets a setting.
func (d *DB) SetSetting(ctx context.Context, name, value string) error {
	_, err := d.db.ExecContext(ctx, `INSERT INTO reception_settings (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	if err != nil {
		return fmt.Errorf("site: setting: %w", err)
	}
	return nil
}

// HasRole reports whether s holds any of roles.
func (s Staff) HasRole(roles ...workflow.Role) bool {
	return slices.ContainsFunc(s.Roles, func(r workflow.Role) bool { return slices.Contains(roles, r) })
}
