package sitehttp

import (
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/helpsite/helpsite/internal/atomicfile"
)

// minGzip is the smallest file worth compressing.
const minGzip = 1024

// Precompress writes name.gz beside every compressible file of dir larger
// than 1 KiB, for ServeHTTP to send to clients that accept gzip. The output
// is deterministic.
func Precompress(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible(p) {
			return err
		}
		info, err := d.Info()
		if err != nil || info.Size() < minGzip {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return atomicfile.Write(p+".gz", func(w io.Writer) error {
			zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
			if _, err := zw.Write(data); err != nil {
				return err
			}
			return zw.Close()
		})
	})
}
