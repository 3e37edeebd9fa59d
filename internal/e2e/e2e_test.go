package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

func TestStub(t *testing.T) { _ = chromedp.NewContext }
