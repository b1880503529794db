package lettergen

import (
	"fmt"
	"testing"
)

func TestShow(t *testing.T) {
	ls := Set(1, 40)
	for i, l := range ls {
		if i < 12 || l.Kind != Fresh {
			fmt.Printf("--- %d kind=%d person=%d family=%d %s %s %s\n%s\n", i, l.Kind, l.Person, l.Family, l.Received.Format("2006-01-02"), l.Name, l.Key, l.Text)
		}
	}
}
