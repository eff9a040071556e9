package deploy

import (
	"context"
	"encoding/json"
	"fmt"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"
)

// ManifestKey is the key, below the target's prefix, of the object where
// helpsite keeps what it published. Site files never start with a dot
// directory, so it cannot collide with one.
const ManifestKey = ".helpsite/manifest.json"

// manifestVersion is the format of the manifest; another is not read,
// and the next publish uploads everything.
const manifestVersion = 1

// An Object is what the manifest knows of one published object: enough
// to tell, without reading the store, whether a file of a new build
// differs from it in bytes or in metadata.
type Object struct {
	// Hash is the hex SHA-256 of the site file (before any compression).
	Hash            string `json:"sha256"`
	ContentType     string `json:"content_type"`
	CacheControl    string `json:"cache_control"`
	ContentEncoding string `json:"content_encoding,omitempty"`
	// Redirect is the page's website redirect, where the store has them.
	Redirect string `json:"redirect,omitempty"`
}

// manifest is the object at ManifestKey.
type manifest struct {
	Version int               `json:"version"`
	Objects map[string]Object `json:"objects"`
}

// readManifest reads the manifest of b: an empty one when b has none yet
// or one of another version.
func readManifest(ctx context.Context, b *blob.Bucket) (*manifest, error) {
	m := &manifest{Version: manifestVersion, Objects: map[string]Object{}}
	data, err := b.ReadAll(ctx, ManifestKey)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the manifest: %w", err)
	}
	var stored manifest
	if err := json.Unmarshal(data, &stored); err != nil {
		return nil, fmt.Errorf("reading the manifest %s: %w (delete it to publish everything again)", ManifestKey, err)
	}
	if stored.Version != manifestVersion || stored.Objects == nil {
		return m, nil
	}
	return &stored, nil
}

// writeManifest writes m to b. It is always the last write of a publish,
// so that it names only objects that are in place.
func writeManifest(ctx context.Context, b *blob.Bucket, m *manifest) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	opts := &blob.WriterOptions{ContentType: "application/json", CacheControl: "no-store"}
	if err := b.WriteAll(ctx, ManifestKey, data, opts); err != nil {
		return fmt.Errorf("writing the manifest: %w", err)
	}
	return nil
}
