package preview

// heicFixedCost is what a decode holds whatever the image: the module's own data and stack
// (about 200 KB), libheif's and libde265's tables and the instance.
const heicFixedCost = 2 << 20

// heicBytesPerPixel is what decoding costs per pixel in the module's memory, rounded up from
// the least memory each kind of file decoded in with libheif 1.18.2: 6.3-6.7 bytes a pixel for
// 8-bit 4:2:0 (one HEVC image, or a 12 MP grid of 48 tiles: 5.8), 9.7 for 4:4:4, 11.5 for 10
// bits, 9.0 with an alpha plane. Per plane, libde265's picture and its per-block metadata,
// libheif's copy of the picture and the copy handed back each hold every sample; more than 8
// bits per sample are decoded to 16 bits, then converted; an alpha plane is a second, grey,
// picture (decoded, though heif.c hands back YCbCr only, so the preview shows no transparency).
func heicBytesPerPixel(img heifImage) int {
	perSample := 6 // bytes per sample of one plane: 4.6 measured for 8-bit 4:2:0
	if img.highBitDepth {
		perSample = 11 // 8.7 measured for 12-bit 4:2:0
	}
	planes := map[int]int{0: 2, 1: 3, 2: 4, 3: 6}[img.chroma] // in half samples per pixel
	bpp := (perSample*planes + 1) / 2
	if img.alpha {
		bpp += perSample
	}
	return bpp
}

// heicCost is what decoding an HEIC file of size bytes holds beside its pixels: the file
// copied into the module, libheif's copy of the coded data and the fixed cost.
func heicCost(size int64) int64 { return 3*size + heicFixedCost }
