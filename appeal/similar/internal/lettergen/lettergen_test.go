package lettergen

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSetIsDeterministic(t *testing.T) {
	assert.Equal(t, Set(3, 300), Set(3, 300))
	assert.NotEqual(t, Set(3, 10)[0].Text, Set(4, 10)[0].Text)
}

// Every template of every topic expands to plain text: brackets balanced, every $name known.
func TestTemplatesExpand(t *testing.T) {
	g := New(1)
	p := g.newPerson()
	detail := g.details(&g.people[p])
	detail["signature"], detail["phone"] = "Петрова Н.С.", "+7 900 000-00-00"
	var all []string
	for _, tp := range topics {
		all = append(append(all, tp.body...), tp.requests...)
	}
	all = append(append(append(append(append(all, greetings...), intros...), genericRequests...), closings...), repeats...)
	for _, tmpl := range all {
		for range 20 {
			s := g.expand(tmpl, detail)
			require.NotContains(t, s, "$", tmpl)
			require.False(t, strings.ContainsAny(s, "{}[]|"), "%s → %s", tmpl, s)
		}
	}
}

func TestKindsAndTruth(t *testing.T) {
	letters := Set(9, 3000)
	count := map[Kind]int{}
	for i := range letters {
		count[letters[i].Kind]++
	}
	for _, k := range []Kind{Fresh, Resent, LateResent, Campaign, SameTopic} {
		assert.Positive(t, count[k], "kind %d", k)
	}
	for i := range letters {
		l := &letters[i]
		assert.True(t, Duplicate(l, l))
		for j := range letters {
			o := &letters[j]
			if o.Family == l.Family && o.Person != l.Person {
				assert.False(t, Duplicate(l, o), "another person's copy is no duplicate")
			}
			if l.Kind == SameTopic && o.Person == l.Person && o.Topic == l.Topic && o.Family != l.Family {
				assert.False(t, Duplicate(l, o), "a new letter on the same topic is no duplicate")
			}
		}
	}
}
