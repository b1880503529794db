package site

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func openAll(t *testing.T) map[string]*DB {
	t.Helper()
	mem, err := OpenMemory()
	require.NoError(t, err)
	file, err := OpenSQLite(filepath.Join(t.TempDir(), "site.db"))
	require.NoError(t, err)
	t.Cleanup(func() { mem.Close(); file.Close() })
	return map[string]*DB{"memory": mem, "sqlite": file}
}

func TestReceipts(t *testing.T) {
	for name, db := range openAll(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			id := uuid.New()
			number, pin, err := db.NewReceipt(ctx, id, time.Now())
			require.NoError(t, err)
			assert.Regexp(t, `^\d{4}-\d{4}$`, number)
			got, err := db.CheckReceipt(ctx, number, pin)
			require.NoError(t, err)
			assert.Equal(t, id, got)
			got, err = db.CheckReceipt(ctx, strings.ReplaceAll(number, "-", " "), strings.ToLower(pin))
			require.NoError(t, err, "spaces for the hyphen, a PIN in lower case")
			assert.Equal(t, id, got)
			_, err = db.CheckReceipt(ctx, number, "AAAA-AAAA-AAAA")
			assert.ErrorIs(t, err, ErrNoAccess)
			other := "0000-0000"
			if number == other {
				other = "0000-0001"
			}
			_, err = db.CheckReceipt(ctx, other, pin)
			assert.ErrorIs(t, err, ErrNoAccess, "an unknown number answers as a wrong PIN")
			_, err = db.CheckReceipt(ctx, "Ж-2025-000001", pin)
			assert.ErrorIs(t, err, ErrNoAccess)
			second, _, err := db.NewReceipt(ctx, uuid.New(), time.Now())
			require.NoError(t, err)
			assert.NotEqual(t, number, second)
		})
	}
}

func TestReceiptDigits(t *testing.T) {
	for in, want := range map[string]string{"1234-5678": "12345678", " 1234 5678 ": "12345678", "12345678": "12345678",
		"1234-567": "", "Ж-2025-000001": "", "1234-567a": "", "١٢٣٤٥٦٧٨": ""} {
		got, ok := ReceiptDigits(in)
		assert.Equal(t, want, got, in)
		assert.Equal(t, want != "", ok, in)
	}
}

func TestStaff(t *testing.T) {
	for name, db := range openAll(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			has, err := db.HasStaff(ctx)
			require.NoError(t, err)
			assert.False(t, has)
			s := Staff{Login: "clerk", Name: "Петрова", Roles: []workflow.Role{workflow.RoleClerk, workflow.RoleAuditor}}
			require.NoError(t, db.AddStaff(ctx, s, "secret-1"))
			assert.ErrorIs(t, db.AddStaff(ctx, s, "other"), ErrExists)
			got, err := db.Authenticate(ctx, "clerk", "secret-1")
			require.NoError(t, err)
			assert.Equal(t, s, got)
			assert.True(t, got.HasRole(workflow.RoleAuditor))
			assert.False(t, got.HasRole(workflow.RoleManager))
			assert.Equal(t, workflow.Actor{ID: "clerk", Roles: s.Roles}, got.Actor())
			_, err = db.Authenticate(ctx, "clerk", "secret-2")
			assert.ErrorIs(t, err, ErrLogin)
			_, err = db.Authenticate(ctx, "nobody", "secret-1")
			assert.ErrorIs(t, err, ErrLogin)
			all, err := db.Staff(ctx)
			require.NoError(t, err)
			assert.Equal(t, []Staff{s}, all)
			has, _ = db.HasStaff(ctx)
			assert.True(t, has)
		})
	}
}

func TestSettings(t *testing.T) {
	for name, db := range openAll(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			_, ok, err := db.Setting(ctx, "org.name")
			require.NoError(t, err)
			assert.False(t, ok)
			require.NoError(t, db.SetSetting(ctx, "org.name", "А"))
			require.NoError(t, db.SetSetting(ctx, "org.name", "Б"))
			v, ok, err := db.Setting(ctx, "org.name")
			require.NoError(t, err)
			assert.True(t, ok)
			assert.Equal(t, "Б", v)
		})
	}
}
