package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"github.com/fz59/appeals/appeal"
)

// dirBlobs keeps attachments as files in a directory, readable by the owner only: each under a
// random name, the reference "file:<name>".
type dirBlobs struct{ dir string }

func newDirBlobs(dir string) (*dirBlobs, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("attachments directory: %w", err)
	}
	return &dirBlobs{dir: dir}, nil
}

var blobRef = regexp.MustCompile(`^file:[0-9a-f]{32}$`)

// Put implements appeal.Blobs: the bytes go to a temporary file, renamed once whole.
func (b *dirBlobs) Put(_ context.Context, _, _ string, r io.Reader) (string, error) {
	name := randomToken(16)
	tmp, err := os.CreateTemp(b.dir, ".put-*")
	if err != nil {
		return "", fmt.Errorf("attachment: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing left to remove
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return "", fmt.Errorf("attachment: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("attachment: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(b.dir, name)); err != nil {
		return "", fmt.Errorf("attachment: %w", err)
	}
	return "file:" + name, nil
}

// Open implements appeal.Blobs.
func (b *dirBlobs) Open(_ context.Context, ref string) (io.ReadCloser, error) {
	if !blobRef.MatchString(ref) {
		return nil, fmt.Errorf("attachment %s: %w", ref, appeal.ErrNoBlob)
	}
	f, err := os.Open(filepath.Join(b.dir, ref[len("file:"):]))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("attachment %s: %w", ref, appeal.ErrNoBlob)
	}
	return f, err
}

// Delete implements appeal.BlobDeleter.
func (b *dirBlobs) Delete(_ context.Context, ref string) error {
	if !blobRef.MatchString(ref) {
		return nil
	}
	err := os.Remove(filepath.Join(b.dir, ref[len("file:"):]))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
