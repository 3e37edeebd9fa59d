package inbound

import (
	"errors"

	"github.com/emersion/go-smtp"
)

// smtpReply returns the SMTP reply that tells a sending server about err, the one place where
// errors become replies. Unknown errors are temporary so that the sender retries.
func smtpReply(err error) *smtp.SMTPError {
	switch {
	case errors.Is(err, ErrUnknownRecipient):
		return reply(550, 5, 1, 1, "No such reply address: reply to the latest email from Accord instead")
	case errors.Is(err, ErrSenderRefused):
		return reply(550, 5, 7, 1, "This sender may not write to this reply address: reply from the address the email was sent to")
	case errors.Is(err, smtp.ErrDataTooLarge), errors.Is(err, ErrTooLarge),
		errors.Is(err, ErrAttachmentTooLarge), errors.Is(err, ErrTooManyAttachments):
		return reply(552, 5, 3, 4, "Message too large or with too many files: send fewer or smaller files, or a link to them")
	case errors.Is(err, ErrEmptyReply):
		return reply(550, 5, 6, 0, "The reply is empty: write your answer above the quoted message")
	case errors.Is(err, ErrMalformed):
		return reply(550, 5, 6, 0, "The message could not be read: send it again from another mail app")
	default:
		return reply(451, 4, 3, 0, "Temporary failure, please try again later")
	}
}

// reply returns an SMTP reply with its code, enhanced code and text.
func reply(code, class, subject, detail int, text string) *smtp.SMTPError {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{class, subject, detail}, Message: text}
}
