package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--articles", "30", "--locales", "en,fr", "--token", "t1,t2", "--version", "2.9"}, pw)
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSpace(line)

	req, _ := http.NewRequest(http.MethodGet, base+"/articles?per_page=50", nil)
	req.Header.Set("Authorization", "Bearer t2")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Data []struct {
			ParentType *string `json:"parent_type"`
		} `json:"data"`
		TotalCount int `json:"total_count"`
	}
	err = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || list.TotalCount != 30 || list.Data[0].ParentType == nil {
		t.Errorf("GET /articles: status %d, %d articles, %v", resp.StatusCode, list.TotalCount, err)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel: %v", err)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--version", "3.0"}, {"extra"}, {"--articles", "x"}} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("run %v succeeded", args)
		}
	}
}
