package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
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
		return "", nil, s.uploadErr(r, err)
	}
	return s.App.Deliver(r.Context(), f, id, mid, note, ups)
}

// readParts stages each file part as it streams in, at most MaxFiles of them; on error it
// returns what it staged so far, for the caller to discard. Every failure reading the body is
// marked as a bodyError where it happens, so that it is told from a failure to store a file.
func (s *Server) readParts(r *http.Request) ([]app.Upload, string, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", &bodyError{err}
	}
	var files []app.Upload
	var note string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return files, note, nil
		}
		if err != nil {
			return files, "", &bodyError{err}
		}
		switch p.FormName() {
		case "file":
			if p.FileName() == "" {
				continue
			}
			if len(files) == s.MaxFiles {
				return files, "", accord.Errorf(accord.ETOOLARGE, "error.too_many_files", "count", s.MaxFiles)
			}
			up, err := s.App.StageUpload(r.Context(), p.FileName(), &sizeLimit{r: bodyReader{p}, left: s.MaxFileSize})
			var big *fileTooLarge
			if errors.As(err, &big) {
				return files, "", accord.Errorf(accord.ETOOLARGE, "error.file_too_large", "name", app.CleanFileName(p.FileName()), "limit", accord.ByteSize(s.MaxFileSize))
			}
			if err != nil {
				return files, "", err
			}
			files = append(files, up)
		case "note":
			b, err := io.ReadAll(io.LimitReader(bodyReader{p}, 1<<20))
			if err != nil {
				return files, "", err
			}
			note = string(b)
			r.PostForm = url.Values{"note": {note}} // a refused page form shows the note again
		}
	}
}

// sizeLimit reads r until more than left bytes would be read, and then fails with fileTooLarge.
type sizeLimit struct {
	r    io.Reader
	left int64
}

// fileTooLarge is one file of an upload longer than the limit per file.
type fileTooLarge struct{}

func (*fileTooLarge) Error() string { return "the file is larger than the limit per file" }

func (l *sizeLimit) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, &fileTooLarge{}
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	if l.left -= int64(n); l.left < 0 {
		return n, &fileTooLarge{}
	}
	return n, err
}

// bodyError is a failure to read the request's body: the sender's, never ours.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "reading the request body: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// bodyReader marks every failure to read from r, but the end, as a bodyError.
type bodyReader struct{ r io.Reader }

func (b bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		err = &bodyError{err}
	}
	return n, err
}

// uploadErr names what went wrong reading an upload: too large (413), a body that cannot be read
// (400, with Go's words in the log only); anything else, such as a full disk, stays as it is.
func (s *Server) uploadErr(r *http.Request, err error) error {
	var tooBig *http.MaxBytesError
	var broken *bodyError
	switch {
	case errors.As(err, &tooBig):
		return accord.Errorf(accord.ETOOLARGE, "error.too_large", "limit", accord.ByteSize(s.MaxUpload))
	case errors.As(err, &broken):
		s.Log.Info("malformed upload", "method", r.Method, "path", r.URL.Path, "err", broken.err)
		return accord.Errorf(accord.EMALFORMED, "error.malformed_upload")
	}
	return err
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
