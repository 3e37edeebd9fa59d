// Package inbound receives clients' replies to Accord's mail over SMTP and reads what they wrote.
//
// Accord gives each engagement a reply address (r-7f3k…@reply.example). A client's mail server
// delivers to Server, an MX without AUTH: at RCPT TO, Deliverer.Accept says whether the envelope
// sender may write to that reply address; after DATA, Deliverer.Deliver gets the raw message,
// byte for byte, once for each accepted recipient.
//
// The envelope sender (MAIL FROM) is not the author: it is empty for bounces, rewritten by
// forwarders (SRS) and set freely by anyone. The app must call Parse on the raw message and
// check Message.From, the header From, against the engagement's client before it posts the
// reply; neither address is authenticated here (no SPF, DKIM or DMARC), so the reply address
// itself is the secret that counts.
//
// Parse keeps the new part of a reply only: quoted history, signatures and mobile sign-offs in
// English, Russian and Bulgarian are cut; attachments are kept under safe names.
// Deliver may see the same message twice for a recipient when a temporary failure made the
// sending server retry, so the app should ignore a Message-ID it already holds.
package inbound
