package app

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/accordapp/accord"
)

// sealedPrefix marks a secret sealed with the workspace's seal key (AES-256-GCM, the nonce
// first); a value without it was kept before secrets were sealed, and is read as it is.
const sealedPrefix = "sealed:v1:"

// errSealed says that a sealed secret cannot be opened: another record secret than the one it
// was sealed with.
var errSealed = errors.New("a sealed secret does not open with this server's record key")

func (a *App) aead(workspaceID string) cipher.AEAD {
	block, err := aes.NewCipher(a.Keys.SealKey(workspaceID))
	if err != nil {
		panic(err) // only for a key of another length, and SealKey gives 32 bytes
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return g
}

// seal hides a secret of the workspace for the database; "" stays "".
func (a *App) seal(workspaceID, secret string) string {
	if secret == "" || strings.HasPrefix(secret, sealedPrefix) {
		return secret
	}
	g := a.aead(workspaceID)
	nonce := make([]byte, g.NonceSize())
	rand.Read(nonce)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(g.Seal(nonce, nonce, []byte(secret), []byte(workspaceID)))
}

// unseal opens a secret seal hid.
func (a *App) unseal(workspaceID, stored string) (string, error) {
	rest, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return stored, nil
	}
	raw, err := base64.RawStdEncoding.DecodeString(rest)
	g := a.aead(workspaceID)
	if err != nil || len(raw) < g.NonceSize() {
		return "", errSealed
	}
	plain, err := g.Open(nil, raw[:g.NonceSize()], raw[g.NonceSize():], []byte(workspaceID))
	if err != nil {
		return "", errSealed
	}
	return string(plain), nil
}

// sealBilling is b as the database keeps it, its Stripe keys sealed.
func (a *App) sealBilling(workspaceID string, b accord.Billing) accord.Billing {
	b.StripeSecretKey = a.seal(workspaceID, b.StripeSecretKey)
	b.StripeWebhookSecret = a.seal(workspaceID, b.StripeWebhookSecret)
	return b
}

// openBilling is b as the database kept it, its Stripe keys opened.
func (a *App) openBilling(workspaceID string, b accord.Billing) (accord.Billing, error) {
	var err1, err2 error
	b.StripeSecretKey, err1 = a.unseal(workspaceID, b.StripeSecretKey)
	b.StripeWebhookSecret, err2 = a.unseal(workspaceID, b.StripeWebhookSecret)
	return b, errors.Join(err1, err2)
}
