package purge

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/helpsite/helpsite/internal/retry"
)

// CloudFrontBatch is the most paths a CloudFront distribution may have in
// invalidations in progress at once, so the most of one invalidation.
const CloudFrontBatch = 3000

// CloudFrontWildcardOver is CloudFront.WildcardOver's default: more than
// a few edits (a retitle changes a few dozen URLs), fewer than a rebuild.
const CloudFrontWildcardOver = 300

// CloudFront invalidates changed URLs in a CloudFront distribution
// (CreateInvalidation): their paths, URL-encoded, at most CloudFrontBatch
// in one invalidation, and one invalidation in progress at a time. A
// change of more than WildcardOver URLs is invalidated as one wildcard
// path instead ("/*", or the narrowest directory that holds them all), as
// CloudFront bills by the path and a wildcard is one.
type CloudFront struct {
	client *cloudfront.Client
	// Distribution is the distribution's id.
	Distribution string
	// WildcardOver is how many URLs a change may have before it is
	// invalidated with a wildcard (CloudFrontWildcardOver if zero).
	WildcardOver int
	// Poll is the wait between checks that an invalidation is complete,
	// before the next batch goes (10s if zero); Backoff the wait before
	// retrying a failed call, doubled for each next try (2s if zero).
	Poll, Backoff time.Duration

	calls atomic.Int64 // for unique caller references
}

// NewCloudFront returns a CloudFront for the distribution id, with
// credentials from the AWS SDK's standard chain (AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, AWS_PROFILE and the shared files, SSO, a
// container or instance role). endpoint replaces CloudFront's API when not
// empty (tests).
func NewCloudFront(ctx context.Context, id, endpoint string) (*CloudFront, error) {
	if id == "" {
		return nil, errors.New("cloudfront: no distribution id")
	}
	// Retries are retry.Do's, around whole calls; the SDK makes one try.
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("us-east-1"),
		awsconfig.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }))
	if err != nil {
		return nil, fmt.Errorf("cloudfront: loading the AWS configuration: %w", err)
	}
	client := cloudfront.NewFromConfig(cfg, func(o *cloudfront.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
	return &CloudFront{client: client, Distribution: id}, nil
}

// Purge invalidates urls, waiting for each invalidation but the last to
// complete before creating the next.
func (c *CloudFront) Purge(ctx context.Context, urls []string) error {
	paths, err := cloudFrontPaths(urls)
	if err != nil {
		return err
	}
	over := c.WildcardOver
	if over <= 0 {
		over = CloudFrontWildcardOver
	}
	if len(paths) > over {
		paths = []string{wildcard(paths)}
	}
	for i := 0; i < len(paths); i += CloudFrontBatch {
		batch := paths[i:min(i+CloudFrontBatch, len(paths))]
		id, err := c.invalidate(ctx, batch)
		if err != nil {
			return fmt.Errorf("cloudfront %s: invalidating %d of %d paths: %w", c.Distribution, len(paths)-i, len(paths), err)
		}
		if i+CloudFrontBatch < len(paths) {
			if err := c.wait(ctx, id); err != nil {
				return fmt.Errorf("cloudfront %s: waiting for invalidation %s: %w", c.Distribution, id, err)
			}
		}
	}
	return nil
}

// invalidate creates an invalidation of paths and returns its id. Every
// try has the same caller reference, so a retry after a lost answer does
// not invalidate twice: CloudFront answers with the first invalidation.
func (c *CloudFront) invalidate(ctx context.Context, paths []string) (string, error) {
	ref := fmt.Sprintf("helpsite-%d-%d", time.Now().UnixNano(), c.calls.Add(1))
	in := &cloudfront.CreateInvalidationInput{
		DistributionId: aws.String(c.Distribution),
		InvalidationBatch: &types.InvalidationBatch{
			CallerReference: aws.String(ref),
			Paths:           &types.Paths{Quantity: aws.Int32(int32(len(paths))), Items: paths},
		},
	}
	var id string
	err := retry.Do(ctx, 5, c.backoff(), cloudFrontTransient, func(ctx context.Context) error {
		out, err := c.client.CreateInvalidation(ctx, in)
		if err != nil {
			return err
		}
		if out.Invalidation == nil || out.Invalidation.Id == nil {
			return errors.New("CreateInvalidation answered without an invalidation id")
		}
		id = *out.Invalidation.Id
		return nil
	})
	return id, err
}

// wait polls invalidation id until it is complete.
func (c *CloudFront) wait(ctx context.Context, id string) error {
	poll := c.Poll
	if poll <= 0 {
		poll = 10 * time.Second
	}
	for {
		var status string
		err := retry.Do(ctx, 5, c.backoff(), cloudFrontTransient, func(ctx context.Context) error {
			out, err := c.client.GetInvalidation(ctx, &cloudfront.GetInvalidationInput{DistributionId: aws.String(c.Distribution), Id: aws.String(id)})
			if err == nil && out.Invalidation != nil {
				status = aws.ToString(out.Invalidation.Status)
			}
			return err
		})
		if err != nil {
			return err
		}
		if status == "Completed" {
			return nil
		}
		if err := retry.Sleep(ctx, poll); err != nil {
			return err
		}
	}
}

func (c *CloudFront) backoff() time.Duration {
	if c.Backoff <= 0 {
		return 2 * time.Second
	}
	return c.Backoff
}

// cloudFrontTransient reports whether a CloudFront call that failed with
// err may succeed when tried again: a throttle, too many invalidations in
// progress (earlier ones complete), a server error or a network error.
func cloudFrontTransient(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "Throttling", "ThrottlingException", "TooManyInvalidationsInProgress", "ServiceUnavailable":
			return true
		}
	}
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) {
		s := resp.HTTPStatusCode()
		return s == http.StatusTooManyRequests || s >= 500
	}
	return true
}

// cloudFrontPaths returns the paths of urls as an invalidation names them:
// percent-encoded (non-ASCII and unsafe characters), with the asterisk,
// CloudFront's wildcard, encoded too.
func cloudFrontPaths(urls []string) ([]string, error) {
	paths := make([]string, 0, len(urls))
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("cloudfront: %q is not a URL", raw)
		}
		p := strings.ReplaceAll(u.EscapedPath(), "*", "%2A")
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// wildcard returns the wildcard path of the narrowest directory holding
// all of paths: "/*" when they share none.
func wildcard(paths []string) string {
	prefix := paths[0]
	for _, p := range paths[1:] {
		n := 0
		for n < len(prefix) && n < len(p) && prefix[n] == p[n] {
			n++
		}
		prefix = prefix[:n]
	}
	return prefix[:strings.LastIndex(prefix, "/")+1] + "*"
}
