//go:build heic

package preview

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"sync"
	_ "unsafe" // go:linkname, for the WebAssembly build of libheif that gen2brain/heic embeds

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	_ "github.com/gen2brain/heic" // brings heifWasm; its own Decode is never called, see below
)

// heicBuilt says that this build decodes HEIC: built with -tags heic,nodynamic.
const heicBuilt = true

// HEIC is decoded by libheif 1.18.2 and libde265 1.0.15 compiled to WebAssembly, as
// github.com/gen2brain/heic v0.4.5 ships them (lib/heif.wasm.gz), and run on wazero: no cgo,
// no system library. The module is that package's, but not its Go side, for what the Go side
// cannot do:
//   - bound the memory: it runs each decode in a linear memory that grows on demand up to
//     WebAssembly's 4 GiB, by appends that allocate about 6 times what it ends up holding
//     (a 12 MP photo: 347 MB); here it is one buffer of what the header lets the decode take,
//     held in the budget, and a file that needs more (an HEVC stream larger than its ispe
//     says, a grid that lies) fails there, within the render's share;
//   - stay deterministic: in a dynamically linked binary (any that imports the package, since
//     purego links the C library even with CGO_ENABLED=0, unless built with -tags nodynamic)
//     it first dlopens a system "libheif.so" (libheif-dev) and decodes with whatever version
//     that is; here it is always the module;
//   - stop: a decode ends with the render's context, though only between the module's calls,
//     before it reads the header and before it decodes (wazero's WithCloseOnContextDone, which
//     would stop it anywhere, makes libheif 6.8 times slower: 6.3 s instead of 0.92 s for 12 MP);
//   - read all of the header: its DecodeConfig passes libheif the first Read of the reader,
//     up to 4 KB behind image.DecodeConfig's bufio.Reader (fixed upstream after v0.4.5, which
//     is still the latest release).
//
// The module's decode function (gen2brain/heic's lib/heif.c) is
//
//	int decode(uint8_t *in, int in_size, int config_only, uint32_t *width, uint32_t *height,
//	           uint32_t *colorspace, uint32_t *chroma, uint32_t *premultiplied, uint8_t *out)
//
// which reads the primary image's size and libheif's preferred colour space and chroma, then,
// unless config_only, decodes it (8 bits per sample) into out: planes of 16-byte aligned rows,
// Y, Cb, Cr (YCbCr), Y (grey) or RGBA. It returns 1 on success. The module is a WASI reactor:
// each instance first runs its _initialize (C++ constructors), which gen2brain/heic skips, and
// whatever libheif prints goes nowhere.

//go:linkname heifWasm github.com/gen2brain/heic.heifWasm
var heifWasm []byte

const (
	heifColorspaceYCbCr = 0
	heifColorspaceRGB   = 1
	heifColorspaceGrey  = 2
	heifChroma420       = 1
	heifChroma422       = 2
	heifChroma444       = 3
	wasmPage            = 64 << 10
)

var heic struct {
	once sync.Once
	rt   wazero.Runtime
	mod  wazero.CompiledModule
	err  error
}

// heicModule compiles the module, once per process: about 0.6 s and 20 MB of garbage, after
// which a decode instantiates it in a fraction of a millisecond.
func heicModule() (wazero.Runtime, wazero.CompiledModule, error) {
	heic.once.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				heic.err = fmt.Errorf("preview: loading the HEIC decoder: %v", r)
			}
		}()
		ctx := context.Background()
		zr, err := gzip.NewReader(bytes.NewReader(heifWasm))
		if err != nil {
			heic.err = fmt.Errorf("preview: loading the HEIC decoder: %w", err)
			return
		}
		wasm, err := io.ReadAll(zr)
		if err != nil {
			heic.err = fmt.Errorf("preview: loading the HEIC decoder: %w", err)
			return
		}
		rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig())
		mod, err := rt.CompileModule(ctx, wasm)
		if err == nil {
			_, err = wasi_snapshot_preview1.Instantiate(ctx, rt)
		}
		if err != nil {
			rt.Close(ctx)
			heic.err = fmt.Errorf("preview: loading the HEIC decoder: %w", err)
			return
		}
		heic.rt, heic.mod = rt, mod
	})
	return heic.rt, heic.mod, heic.err
}

// errHEIC marks the files that libheif could not decode.
var errHEIC = errors.New("preview: decoding HEIC")

// decodeHEIC decodes the primary image of the HEIC file of size bytes in src, whose header h
// says, in a module memory of at most limit bytes. The image it returns lies in that memory.
func decodeHEIC(ctx context.Context, src io.Reader, size int64, h header, limit int64) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("%w: %v", errHEIC, r)
		}
	}()
	rt, compiled, err := heicModule()
	if err != nil {
		return nil, err
	}
	limit = min(limit, 1<<32-wasmPage) &^ (wasmPage - 1)
	if size >= limit {
		return nil, fmt.Errorf("%w: %d bytes do not fit in the %d MiB it may take", errTooLarge, size, limit>>20)
	}
	mem := &fixedMemory{buf: make([]byte, 0, limit)}
	ictx := experimental.WithMemoryAllocator(ctx, experimental.MemoryAllocatorFunc(func(_, _ uint64) experimental.LinearMemory {
		return mem
	}))
	mod, err := rt.InstantiateModule(ictx, compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions("_initialize"))
	if err != nil {
		return nil, heicFailed(ctx, err)
	}
	defer mod.Close(context.Background())
	d := heicCall{ctx: ctx, mod: mod}

	in := d.call("malloc", uint64(size))
	buf, ok := mod.Memory().Read(uint32(in), uint32(size))
	if d.err == nil && (in == 0 || !ok) {
		return nil, fmt.Errorf("%w: no room for the file in the %d MiB it may take", errHEIC, limit>>20)
	}
	if d.err != nil {
		return nil, heicFailed(ctx, d.err)
	}
	if _, err := io.ReadFull(src, buf); err != nil {
		return nil, fmt.Errorf("preview: reading image: %w", err)
	}
	fields := d.call("malloc", 5*4) // width, height, colorspace, chroma, premultiplied
	args := func(configOnly, out uint64) []uint64 {
		return []uint64{in, uint64(size), configOnly, fields, fields + 4, fields + 8, fields + 12, fields + 16, out}
	}
	if d.call("decode", args(1, 0)...) != 1 || d.err != nil {
		return nil, heicFailed(ctx, d.err)
	}
	var f [5]uint32
	for i := range f {
		f[i], _ = mod.Memory().ReadUint32Le(uint32(fields) + 4*uint32(i))
	}
	w, ht, colorspace, chroma, premultiplied := int(f[0]), int(f[1]), f[2], f[3], f[4] == 1
	if w <= 0 || ht <= 0 || w*ht > h.width*h.height || max(w, ht) > max(h.width, h.height) {
		return nil, fmt.Errorf("%w: libheif reads a %dx%d px image where its header says %dx%d", errHEIC, w, ht, h.width, h.height)
	}
	l, err := heicLayout(w, ht, colorspace, chroma)
	if err != nil {
		return nil, err
	}
	out := d.call("malloc", uint64(l.size))
	if d.err == nil && out == 0 {
		return nil, fmt.Errorf("%w: no room for a %dx%d px image in the %d MiB it may take", errHEIC, w, ht, limit>>20)
	}
	if d.call("decode", args(0, out)...) != 1 || d.err != nil {
		if mem.refused && ctx.Err() == nil {
			return nil, fmt.Errorf("%w: a %dx%d px image needs more than the %d MiB its header allows", errHEIC, w, ht, limit>>20)
		}
		return nil, heicFailed(ctx, d.err)
	}
	pix, ok := mod.Memory().Read(uint32(out), uint32(l.size))
	if !ok {
		return nil, fmt.Errorf("%w: the image lies outside the module's memory", errHEIC)
	}
	return l.image(pix, premultiplied), nil
}

// heicFailed is the error of a decode that failed: the context's, if it ended.
func heicFailed(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err == nil {
		return fmt.Errorf("%w: libheif could not read the file", errHEIC)
	}
	return fmt.Errorf("%w: %v", errHEIC, err)
}

// heicCall calls the module's functions until one fails.
type heicCall struct {
	ctx context.Context
	mod api.Module
	err error
}

func (d *heicCall) call(name string, args ...uint64) uint64 {
	if d.err == nil {
		d.err = d.ctx.Err()
	}
	if d.err != nil {
		return 0
	}
	fn := d.mod.ExportedFunction(name)
	if fn == nil {
		d.err = fmt.Errorf("the module has no %s function", name)
		return 0
	}
	res, err := fn.Call(d.ctx, args...)
	if err != nil {
		d.err = fmt.Errorf("%s: %w", name, err)
		return 0
	}
	if len(res) == 0 {
		return 0
	}
	return res[0]
}

// heicPlanes is where heif.c puts an image's planes in its out buffer.
type heicPlanes struct {
	rect            image.Rectangle
	colorspace      uint32
	ratio           image.YCbCrSubsampleRatio
	stride, cstride int
	ySize, cSize    int
	size            int
}

func align16(n int) int { return (n + 15) &^ 15 }

func heicLayout(w, h int, colorspace, chroma uint32) (heicPlanes, error) {
	l := heicPlanes{rect: image.Rect(0, 0, w, h), colorspace: colorspace}
	switch colorspace {
	case heifColorspaceYCbCr:
		cw, ch := (w+1)/2, h
		switch chroma {
		case heifChroma420:
			l.ratio, ch = image.YCbCrSubsampleRatio420, (h+1)/2
		case heifChroma422:
			l.ratio = image.YCbCrSubsampleRatio422
		case heifChroma444:
			l.ratio, cw = image.YCbCrSubsampleRatio444, w
		default:
			return heicPlanes{}, fmt.Errorf("%w: chroma format %d", errHEIC, chroma)
		}
		l.stride, l.cstride = align16(w), align16(cw)
		l.ySize, l.cSize = l.stride*h, l.cstride*ch
		l.size = l.ySize + 2*l.cSize
	case heifColorspaceGrey:
		l.stride = align16(w)
		l.size = l.stride * h
	case heifColorspaceRGB:
		l.stride = align16(4 * w)
		l.size = l.stride * h
	default:
		return heicPlanes{}, fmt.Errorf("%w: colour space %d", errHEIC, colorspace)
	}
	return l, nil
}

func (l heicPlanes) image(pix []byte, premultiplied bool) image.Image {
	switch l.colorspace {
	case heifColorspaceYCbCr:
		y, cb := l.ySize, l.ySize+l.cSize
		return &image.YCbCr{
			Y: pix[:y:y], Cb: pix[y:cb:cb], Cr: pix[cb:l.size:l.size],
			YStride: l.stride, CStride: l.cstride, SubsampleRatio: l.ratio, Rect: l.rect,
		}
	case heifColorspaceGrey:
		return &image.Gray{Pix: pix, Stride: l.stride, Rect: l.rect}
	}
	if premultiplied {
		return &image.RGBA{Pix: pix, Stride: l.stride, Rect: l.rect}
	}
	return &image.NRGBA{Pix: pix, Stride: l.stride, Rect: l.rect}
}

// fixedMemory is a module's linear memory: one buffer allocated up front, which never moves and
// never grows past its capacity, so that memory.grow fails there and malloc returns NULL.
type fixedMemory struct {
	buf     []byte
	refused bool // the module asked for more
}

func (m *fixedMemory) Reallocate(size uint64) []byte {
	if size > uint64(cap(m.buf)) {
		m.refused = true
		return nil
	}
	m.buf = m.buf[:size]
	return m.buf
}

func (m *fixedMemory) Free() {}
