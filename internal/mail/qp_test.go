package mail_test

import (
	"io"
	"mime/quotedprintable"
	"strings"
)

func quotedPrintable(s string) io.Reader {
	return quotedprintable.NewReader(strings.NewReader(s))
}
