package docrender

// Limits bound the work Extract does on one document; a zero field takes its default.
type Limits struct {
	// MaxInputBytes is the largest document accepted, in bytes (default 64 MiB).
	MaxInputBytes int64
	// MaxEntryBytes is the most uncompressed bytes read from any one part of a DOCX or ODT
	// archive, so that a zip bomb is refused (default 32 MiB).
	MaxEntryBytes int64
	// MaxXMLDepth is how deeply XML elements may nest (default 256).
	MaxXMLDepth int
	// MaxXMLTokens is how many XML tokens one part may have (default 1,000,000).
	MaxXMLTokens int
	// MaxRunes is how many characters of text are kept, counting one per block; beyond it the
	// document is cut short and marked Truncated (default 200,000).
	MaxRunes int
}

// Default limits.
const (
	DefaultMaxInputBytes = 64 << 20
	DefaultMaxEntryBytes = 32 << 20
	DefaultMaxXMLDepth   = 256
	DefaultMaxXMLTokens  = 1_000_000
	DefaultMaxRunes      = 200_000
)

// withDefaults returns l with each zero or negative field set to its default.
func (l Limits) withDefaults() Limits {
	if l.MaxInputBytes <= 0 {
		l.MaxInputBytes = DefaultMaxInputBytes
	}
	if l.MaxEntryBytes <= 0 {
		l.MaxEntryBytes = DefaultMaxEntryBytes
	}
	if l.MaxXMLDepth <= 0 {
		l.MaxXMLDepth = DefaultMaxXMLDepth
	}
	if l.MaxXMLTokens <= 0 {
		l.MaxXMLTokens = DefaultMaxXMLTokens
	}
	if l.MaxRunes <= 0 {
		l.MaxRunes = DefaultMaxRunes
	}
	return l
}
