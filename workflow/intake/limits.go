package intake

import (
	"mime"
	"path"
	"strings"
)

// Limits bound what one appeal may bring in, and so the work and memory intake spends on
// hostile input. A zero field takes its default (see DefaultLimits); MaxAttachments < 0
// refuses every attachment.
type Limits struct {
	// MaxTextRunes bounds the appeal's text, in characters. Default 20 000 (about ten pages).
	// An e-mail's text parts together may take 64 bytes a character before decoding (HTML
	// markup): 1.25 MiB by default.
	MaxTextRunes int
	// MaxFieldRunes bounds every other form field, and an e-mail's subject and sender's name,
	// in characters. Default 1 000.
	MaxFieldRunes int
	// MaxAttachments bounds the number of attachments. Default 10.
	MaxAttachments int
	// MaxAttachmentSize bounds one attachment, in bytes. Default 10 MiB.
	MaxAttachmentSize int64
	// MaxTotalSize bounds all attachments together, in bytes. Default 30 MiB.
	MaxTotalSize int64
	// MediaTypes lists the accepted attachment types, lower case, without parameters;
	// "image/*" accepts a whole top-level type and "*/*" anything. Default: DefaultMediaTypes.
	MediaTypes []string
	// MaxMessageSize bounds a raw e-mail, in bytes. Default 48 MiB (base64 adds a third).
	MaxMessageSize int64
	// MaxHeaderSize bounds an e-mail's header block, and the header of each MIME part, in
	// bytes. Default 128 KiB: a long chain of Received and DKIM lines takes a few tens. The
	// message's header is cut off as it streams in; a part's header is read whole first, which
	// the standard library bounds at 10 MiB.
	MaxHeaderSize int
	// MaxParts bounds the MIME parts of an e-mail, and MaxDepth their nesting. Defaults 64, 8.
	MaxParts, MaxDepth int
}

// DefaultMediaTypes are the attachment types accepted by default: PDF, images, plain and rich
// text, Word, Excel and OpenDocument files — what internet receptions commonly accept — and
// forwarded e-mails. Archives and executables are not among them.
func DefaultMediaTypes() []string {
	return []string{
		"application/pdf", "image/jpeg", "image/png", "image/gif", "image/tiff", "image/bmp",
		"text/plain", "application/rtf", "text/rtf",
		"application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
		"message/rfc822",
	}
}

// DefaultLimits returns the defaults, every field filled.
func DefaultLimits() Limits { return Limits{}.withDefaults() }

func (l Limits) withDefaults() Limits {
	setInt(&l.MaxTextRunes, 20000)
	setInt(&l.MaxFieldRunes, 1000)
	setInt(&l.MaxAttachments, 10)
	setInt(&l.MaxAttachmentSize, 10<<20)
	setInt(&l.MaxTotalSize, 30<<20)
	setInt(&l.MaxMessageSize, 48<<20)
	setInt(&l.MaxHeaderSize, 128<<10)
	setInt(&l.MaxParts, 64)
	setInt(&l.MaxDepth, 8)
	if l.MediaTypes == nil {
		l.MediaTypes = DefaultMediaTypes()
	}
	return l
}

func setInt[T int | int64](p *T, def T) {
	if *p == 0 {
		*p = def
	}
}

// accepts reports whether the media type mt (lower case, no parameters) is allowed.
func (l Limits) accepts(mt string) bool {
	top, _, _ := strings.Cut(mt, "/")
	for _, a := range l.MediaTypes {
		if a == mt || a == "*/*" || a == top+"/*" {
			return true
		}
	}
	return false
}

// typeByExtension maps a file extension (lower case, with the dot) to a media type for files
// sent as application/octet-stream or with no type: a fixed table, so that the result does
// not depend on the host's mime.types.
func typeByExtension(ext string) string {
	switch ext {
	case ".pdf":
		return "application/pdf"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".tif", ".tiff":
		return "image/tiff"
	case ".bmp":
		return "image/bmp"
	case ".txt":
		return "text/plain"
	case ".rtf":
		return "application/rtf"
	case ".doc":
		return "application/msword"
	case ".docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case ".xls":
		return "application/vnd.ms-excel"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".odt":
		return "application/vnd.oasis.opendocument.text"
	case ".ods":
		return "application/vnd.oasis.opendocument.spreadsheet"
	case ".zip":
		return "application/zip"
	case ".eml":
		return "message/rfc822"
	case ".exe", ".com", ".scr", ".msi", ".dll", ".bat", ".cmd", ".ps1", ".vbs", ".js", ".jar", ".lnk":
		return executable
	}
	return ""
}

// executable is the media type given to a file whose name says it runs, whatever type was
// declared: a host serving it back by its name must not hand a program to a clerk as a PDF.
const executable = "application/x-msdownload"

// mediaType returns the attachment's media type: the declared one, lower case and without
// parameters, or — when none or only application/octet-stream was declared — the one its
// name's extension implies, or else the sniffed one. A name with an
// executable's extension always gives the executable type.
func mediaType(declared, name string, sniff func() string) string {
	byExt := typeByExtension(strings.ToLower(path.Ext(name)))
	if byExt == executable {
		return executable
	}
	mt, _, err := mime.ParseMediaType(declared)
	if err == nil && mt != "application/octet-stream" {
		return mt
	}
	if byExt != "" {
		return byExt
	}
	if t, _, err := mime.ParseMediaType(sniff()); err == nil {
		return t
	}
	return "application/octet-stream"
}
