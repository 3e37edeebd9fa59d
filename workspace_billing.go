package accord

import "strings"

// Billing is what a workspace's invoices say of the freelancer and how they are made: the legal
// name, address and tax id, the invoice numbers' prefix, the tax charged, and the workspace's own
// Stripe keys for card payments.
type Billing struct {
	LegalName string `json:"legal_name,omitempty"`
	Address   string `json:"address,omitempty"`
	TaxID     string `json:"tax_id,omitempty"`
	// Prefix starts every invoice number (DefaultInvoicePrefix when empty).
	Prefix string `json:"prefix,omitempty"`
	// TaxRate is the tax the prices include, in hundredths of a percent (0: none charged);
	// TaxNote is what an invoice without tax says why (an exemption).
	TaxRate int    `json:"tax_rate,omitempty"`
	TaxNote string `json:"tax_note,omitempty"`
	// StripeSecretKey and StripeWebhookSecret are the workspace's own Stripe keys; without them
	// the client pays by bank transfer only.
	StripeSecretKey     string `json:"stripe_secret_key,omitempty"`
	StripeWebhookSecret string `json:"stripe_webhook_secret,omitempty"`
}

// Edit returns the billing details with new values, checked.
func (b Billing) Edit(legalName, address, taxID, prefix string, taxRate int, taxNote string) (Billing, error) {
	var v Invalid
	b.LegalName = v.Text("legal_name", legalName, false, 200)
	b.Address = v.Text("address", address, false, 1000)
	b.TaxID = v.Text("tax_id", taxID, false, 100)
	b.Prefix = strings.ToUpper(v.Text("prefix", prefix, false, 12))
	for _, r := range b.Prefix {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			v.Add("prefix", "billing.prefix")
			break
		}
	}
	if taxRate < 0 || taxRate > MaxTaxRate {
		v.Add("tax_rate", "billing.tax_rate")
	}
	b.TaxRate = taxRate
	b.TaxNote = v.Text("tax_note", taxNote, false, 500)
	return b, v.Err()
}

// CardPayments reports whether the client can pay by card: the workspace set up Stripe.
func (b Billing) CardPayments() bool { return b.StripeSecretKey != "" && b.StripeWebhookSecret != "" }

// Seller is the freelancer as an invoice names them: the legal name, else the workspace's.
func (b Billing) Seller(workspaceName string) Party {
	name := b.LegalName
	if name == "" {
		name = workspaceName
	}
	return Party{Name: name, Address: b.Address, TaxID: b.TaxID}
}

// ClientBilling is what invoices say of a client beyond its name: its address and tax id.
type ClientBilling struct {
	LegalName string `json:"legal_name,omitempty"`
	Address   string `json:"address,omitempty"`
	TaxID     string `json:"tax_id,omitempty"`
}

// Buyer is the client as an invoice names it: the legal name, else the client's.
func (b ClientBilling) Buyer(clientName string) Party {
	name := b.LegalName
	if name == "" {
		name = clientName
	}
	return Party{Name: name, Address: b.Address, TaxID: b.TaxID}
}
