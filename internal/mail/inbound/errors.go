package inbound

import "errors"

// Errors a Deliverer returns to refuse mail; Server answers each with the SMTP reply noted.
var (
	// ErrUnknownRecipient means no engagement has this reply address (550 5.1.1).
	ErrUnknownRecipient = errors.New("inbound: unknown reply address")
	// ErrSenderRefused means this sender may not write to this reply address (550 5.7.1).
	ErrSenderRefused = errors.New("inbound: sender may not write to this reply address")
)

// Errors of Parse, which a Deliverer may return as they are; Server rejects them for good, as
// sending the same message again cannot succeed.
var (
	// ErrTooLarge means the whole message is over Limits.MaxBytes (552 5.3.4).
	ErrTooLarge = errors.New("inbound: message too large")
	// ErrAttachmentTooLarge means one attachment is over Limits.MaxAttachmentBytes (552 5.3.4).
	ErrAttachmentTooLarge = errors.New("inbound: attachment too large")
	// ErrTooManyAttachments means the message has more than Limits.MaxAttachments (552 5.3.4).
	ErrTooManyAttachments = errors.New("inbound: too many attachments")
	// ErrEmptyReply means nothing is left once quotes and signatures are cut, and no file came (550 5.6.0).
	ErrEmptyReply = errors.New("inbound: the reply is empty once quoted history and signature are removed")
	// ErrMalformed means the message cannot be read as mail, or has no From address (550 5.6.0).
	ErrMalformed = errors.New("inbound: malformed message")
)
