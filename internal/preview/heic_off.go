//go:build !heic

package preview

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
)

// heicBuilt says that this build decodes no HEIC. The decoder (libheif compiled to WebAssembly,
// from github.com/gen2brain/heic) brings purego, which links the binary against the system's C
// library unless built with -tags nodynamic; the default build stays static, and an HEIC file
// is previewed by a build with -tags heic,nodynamic.
const heicBuilt = false

var errNoHEIC = errors.New("this build decodes no HEIC: build with -tags heic,nodynamic")

// decodeHEIC refuses: the header was read, and the flood guard held, but nothing decodes it.
func decodeHEIC(context.Context, io.Reader, int64, header, int64) (image.Image, error) {
	return nil, fmt.Errorf("%w: %w", ErrUnsupported, errNoHEIC)
}
