package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
)

// deliver streams a multipart delivery into blob storage, file by file, then records it. The
// milestone's state is checked before any byte is read, so a refused upload is refused at once.
func (s *Server) deliver(w http.ResponseWriter, r *http.Request, f app.Freelancer) (string, []accord.File, error) {
	id, mid := r.PathValue("id"), r.PathValue("mid")
	if err := s.App.CheckDeliverable(r.Context(), f, id, mid); err != nil {
		return "", nil, err
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return "", nil, accord.Errorf(accord.EUNSUPPORTED, "error.unsupported_type", "want", "multipart/form-data")
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxUpload)
	ups, note, err := s.readParts(r)
	if err != nil {
		s.App.DiscardUploads(ups)
		return "", nil, err
	}
	return s.App.Deliver(r.Context(), f, id, mid, note, ups)
}

// readParts stages each file part as it streams in; on error it returns what it staged so far,
// for the caller to discard.
func (s *Server) readParts(r *http.Request) ([]app.Upload, string, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", accord.Errorf(accord.EMALFORMED, "error.malformed_upload", "detail", err.Error())
	}
	var files []app.Upload
	var note string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return files, note, nil
		}
		if err != nil {
			return files, "", s.uploadErr(err)
		}
		switch p.FormName() {
		case "file":
			if p.FileName() == "" {
				continue
			}
			up, err := s.App.StageUpload(r.Context(), p.FileName(), p)
			if err != nil {
				return files, "", s.uploadErr(err)
			}
			files = append(files, up)
		case "note":
			b, err := io.ReadAll(io.LimitReader(p, 1<<20))
			if err != nil {
				return files, "", s.uploadErr(err)
			}
			note = string(b)
		}
	}
}

// uploadErr names what went wrong reading an upload: too large (413), a broken multipart body
// (400); anything else, such as a full disk, is ours and stays an internal error.
func (s *Server) uploadErr(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return accord.Errorf(accord.ETOOLARGE, "error.too_large", "limit", humanBytes(s.MaxUpload))
	case accord.ErrorCode(err) != accord.EINTERNAL:
		return err
	case errors.Is(err, io.ErrUnexpectedEOF), strings.Contains(err.Error(), "multipart"):
		return accord.Errorf(accord.EMALFORMED, "error.malformed_upload", "detail", err.Error())
	}
	return err
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + " GiB"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// serveFile sends a stored file: originals as attachments with their exact bytes, previews inline.
func serveFile(w http.ResponseWriter, r *http.Request, fc app.FileContent, original bool) {
	defer fc.Body.Close()
	disp := "inline"
	if original {
		disp = "attachment"
	}
	w.Header().Set("Content-Type", fc.Type)
	w.Header().Set("Content-Disposition", disp+"; filename*=UTF-8''"+url.PathEscape(fc.Name))
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", time.Time{}, fc.Body)
}
