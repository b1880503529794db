package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/fz59/appeals/appeal"
)

// Discard removes the attachments' bytes when blobs is also an appeal.BlobDeleter, and does
// nothing otherwise. Intake calls it itself when it refuses an e-mail or a multipart form after
// storing some files; the host calls it when it drops a Draft (FromForm refused the form,
// Store.Create reported a duplicate). A host whose Blobs cannot delete should sweep, after a
// grace period, the blobs that no record refers to.
func Discard(ctx context.Context, blobs appeal.Blobs, atts []appeal.Attachment) error {
	d, ok := blobs.(appeal.BlobDeleter)
	if !ok {
		return nil
	}
	var errs []error
	for _, a := range atts {
		if a.Ref != "" {
			if err := d.Delete(ctx, a.Ref); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// errOverLimit is what the stream handed to Put returns past its limit.
var errOverLimit = errors.New("intake: attachment over the size limit")

// readError is a failure to read the attachment's source (a broken base64 stream, an I/O
// error), told apart from the host's Blobs errors.
type readError struct{ err error }

func (e readError) Error() string { return "intake: reading the attachment: " + e.err.Error() }
func (e readError) Unwrap() error { return e.err }

// meter hashes and counts what passes through it and fails past max bytes.
type meter struct {
	r       io.Reader
	h       hash.Hash
	n       int64
	max     int64
	over    bool
	readErr error
}

func (m *meter) Read(p []byte) (int, error) {
	if m.over {
		return 0, errOverLimit
	}
	n, err := m.r.Read(p)
	if err != nil && err != io.EOF {
		m.readErr = readError{err}
	}
	m.h.Write(p[:n])
	m.n += int64(n)
	if m.n > m.max {
		m.over = true
		return n, errOverLimit
	}
	return n, err
}

// put streams r to blobs, computing size and SHA-256, and refuses more than max bytes. It
// returns the attachment, or errOverLimit, or a readError, or the host's error; on error
// nothing it stored is left behind (when blobs can delete).
func put(ctx context.Context, blobs appeal.Blobs, name, mt string, r io.Reader, max int64) (appeal.Attachment, error) {
	m := &meter{r: r, h: sha256.New(), max: max}
	ref, err := blobs.Put(ctx, name, mt, m)
	if err == nil && !m.over {
		// A Put that stopped early stored a truncated file, and the hash would not be the
		// file's: read the rest to know.
		var rest int64
		rest, err = io.Copy(io.Discard, m)
		if err == nil && rest > 0 {
			err = fmt.Errorf("intake: Blobs.Put returned before the end of the attachment")
		}
	}
	switch {
	case m.over:
		err = errOverLimit
	case m.readErr != nil:
		err = m.readErr
	}
	if err != nil {
		if ref != "" {
			_ = Discard(ctx, blobs, []appeal.Attachment{{Ref: ref}})
		}
		return appeal.Attachment{}, err
	}
	return appeal.Attachment{Name: name, MediaType: mt, Size: m.n, SHA256: hex.EncodeToString(m.h.Sum(nil)), Ref: ref}, nil
}
