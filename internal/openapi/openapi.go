// Package openapi holds the OpenAPI 3.1 description of Accord's JSON API.
package openapi

import (
	"bytes"
	_ "embed"
)

//go:embed openapi.json
var document []byte

// Document returns the OpenAPI 3.1 description of Accord's JSON API as JSON bytes.
func Document() []byte {
	return bytes.Clone(document)
}
