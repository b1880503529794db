package similar

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/fz59/appeals/appeal/textnorm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// base is a citizen's letter; the variants below are the ways people send one letter again.
const base = `Уважаемый Андрей Викторович!
С осени прошлого года в нашем доме № 14 по ул. Садовой протекает крыша. Во время дождей вода течёт
по стенам в квартирах пятого этажа, в квартире 41 обвалилась штукатурка и пошла плесень.
Мы неоднократно подавали заявки в управляющую компанию ООО «УК Жилстандарт», последний раз 12.03.2025,
но до сих пор никто не пришёл даже осмотреть кровлю. Диспетчер отвечает, что ремонт включён в план
на следующий год. Плату за содержание и ремонт мы вносим ежемесячно и без задолженности.
Прошу обязать управляющую компанию отремонтировать кровлю в кратчайшие сроки и сделать перерасчёт
платы за период, когда услуги не оказывались.
С уважением, Петрова Нина Сергеевна`

func similarityOf(a, b string) float64 {
	sa, sb := Sign(textnorm.Tokens(a)), Sign(textnorm.Tokens(b))
	return similarity(sa.sketch(), sb.sketch())
}

func TestSimilarityRobust(t *testing.T) {
	tests := []struct{ name, text string }{
		{"the same", base},
		{"sentences reordered", `Уважаемый Андрей Викторович!
Мы неоднократно подавали заявки в управляющую компанию ООО «УК Жилстандарт», последний раз 12.03.2025,
но до сих пор никто не пришёл даже осмотреть кровлю. С осени прошлого года в нашем доме № 14 по ул. Садовой
протекает крыша. Плату за содержание и ремонт мы вносим ежемесячно и без задолженности. Во время дождей
вода течёт по стенам в квартирах пятого этажа, в квартире 41 обвалилась штукатурка и пошла плесень.
Диспетчер отвечает, что ремонт включён в план на следующий год.
Прошу обязать управляющую компанию отремонтировать кровлю в кратчайшие сроки и сделать перерасчёт
платы за период, когда услуги не оказывались.
С уважением, Петрова Нина Сергеевна`},
		{"typos", strings.NewReplacer("протекает", "протекаетт", "штукатурка", "штукатрка", "неоднократно", "неоднакратно",
			"осмотреть", "осмотерть").Replace(base)},
		{"other greeting and closing", strings.NewReplacer("Уважаемый Андрей Викторович!", "Здравствуйте, уважаемый глава города!",
			"С уважением, Петрова Нина Сергеевна", "Заранее благодарю за ответ. Петрова Н.С.").Replace(base)},
		{"ё as е, other quotes", strings.NewReplacer("ё", "е", "«", "\"", "»", "\"").Replace(base)},
		{"one paragraph added", base + "\nОбращаюсь повторно, так как ответа на прошлое обращение я не получила. " +
			"За это время положение ухудшилось: вода появилась и в подъезде, на лестнице скользко, пожилые соседи боятся упасть."},
		{"one line breaks and spacing", strings.Join(strings.Fields(base), " ")},
		{"upper case", strings.ToUpper(base)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := similarityOf(base, tt.text)
			assert.GreaterOrEqual(t, s, DefaultDuplicateScore+0.2, "a letter sent again")
			assert.InDelta(t, s, similarityOf(tt.text, base), 1e-9, "symmetric")
		})
	}
}

// Another letter on the same subject, in another person's words, is not a duplicate.
func TestSimilaritySameTopicOtherLetter(t *testing.T) {
	other := `Здравствуйте! Пишу Вам по поводу кровли нашего дома на улице Садовой. Крыша течёт уже год,
после каждого дождя у нас на кухне мокрый потолок. Управляющая компания на звонки не отвечает,
мастера мы так и не дождались. Прошу помочь и заставить УК сделать ремонт крыши. Иванов И.И.`
	assert.Less(t, similarityOf(base, other), DefaultDuplicateScore/2)
}

func TestSimilarityBounds(t *testing.T) {
	assert.InDelta(t, 1.0, similarityOf(base, base), 1e-9)
	assert.Zero(t, similarityOf(base, "Прошу выдать справку о составе семьи"))
	assert.Zero(t, similarityOf(base, ""))
	assert.Zero(t, similarityOf("", ""))
}

// Sketches of texts longer than SketchSize shingles estimate the similarity closely.
func TestSimilarityEstimated(t *testing.T) {
	words := func(from, n int) string {
		var b strings.Builder
		for i := from; i < from+n; i++ {
			b.WriteString("слово")
			for k := i; k > 0; k /= 26 {
				b.WriteRune(rune('а' + k%26))
			}
			b.WriteString("ом ")
		}
		return b.String()
	}
	a, b := words(0, 2000), words(1000, 2000) // 1,000 of 2,000 words in common
	sa, sb := Sign(textnorm.Tokens(a)), Sign(textnorm.Tokens(b))
	require.Equal(t, SketchSize, len(sa.Sketch))
	require.Greater(t, sa.Shingles, SketchSize)
	assert.InDelta(t, 0.5, similarity(sa.sketch(), sb.sketch()), 0.08)
}

// The signature of a text is the same on every machine and run: stored signatures stay
// valid. A change here is a change of Version.
func TestSignatureGolden(t *testing.T) {
	sig := Sign(textnorm.Tokens(base))
	b, err := sig.MarshalBinary()
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	assert.Equal(t, 66, sig.Shingles)
	assert.Equal(t, []uint32{0x2131fe3, 0x3f6db7d, 0x5494ebe}, sig.MinHash[:3])
	assert.Equal(t, []uint32{0x111d13f, 0x5f27288, 0xca2ceab}, sig.Sketch[:3])
	assert.Equal(t, "e4ddd417d2a3b0f5895cad670b54cb0800d3b772ac12db9421483a3a8a8ce356", hex.EncodeToString(sum[:]))
}

func TestSignatureRoundTrip(t *testing.T) {
	for _, text := range []string{base, "", "одно", strings.Repeat(base+" ещё раз ", 10)} {
		sig := Sign(textnorm.Tokens(text))
		b, err := sig.MarshalBinary()
		require.NoError(t, err)
		var got Signature
		require.NoError(t, got.UnmarshalBinary(b))
		if len(sig.Sketch) == 0 {
			sig.Sketch = []uint32{}
		}
		assert.Equal(t, sig, got)
	}
}

func TestSignatureUnmarshalRefuses(t *testing.T) {
	good, err := Sign(textnorm.Tokens(base)).MarshalBinary()
	require.NoError(t, err)
	tests := []struct {
		name string
		b    []byte
		err  error
	}{
		{"empty", nil, ErrSignature},
		{"another version", append([]byte{Version + 1}, good[1:]...), ErrVersion},
		{"short", good[:len(good)/2], ErrSignature},
		{"trailing bytes", append(append([]byte(nil), good...), 0), ErrSignature},
		{"sketch length not the count", append([]byte{Version, 5, 4}, good[3:]...), ErrSignature},
		{"sketch out of order", marshal(Signature{Shingles: 2, Sketch: []uint32{5, 3}}), ErrSignature},
		{"sketch repeats", marshal(Signature{Shingles: 2, Sketch: []uint32{5, 5}}), ErrSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := Signature{Shingles: 7}
			err := sig.UnmarshalBinary(tt.b)
			assert.ErrorIs(t, err, tt.err)
			assert.Equal(t, Signature{Shingles: 7}, sig, "unchanged on error")
		})
	}
}

func marshal(s Signature) []byte {
	b, _ := s.MarshalBinary()
	return b
}

func FuzzSignatureUnmarshal(f *testing.F) {
	for _, text := range []string{base, "", "одно слово"} {
		b, _ := Sign(textnorm.Tokens(text)).MarshalBinary()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var sig Signature
		if sig.UnmarshalBinary(b) != nil {
			return
		}
		if len(sig.Sketch) > SketchSize || len(sig.Sketch) != min(sig.Shingles, SketchSize) {
			t.Fatalf("sketch of %d for %d shingles", len(sig.Sketch), sig.Shingles)
		}
		for i := 1; i < len(sig.Sketch); i++ {
			if sig.Sketch[i] <= sig.Sketch[i-1] {
				t.Fatal("sketch not increasing")
			}
		}
		again, err := sig.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Signature
		if err := back.UnmarshalBinary(again); err != nil {
			t.Fatalf("re-encoded signature refused: %v", err)
		}
		if back.Shingles != sig.Shingles || back.MinHash != sig.MinHash || len(back.Sketch) != len(sig.Sketch) {
			t.Fatal("round trip changed the signature")
		}
	})
}

// Greetings, closing formulas and patronymics are no part of a shingle: letters that differ
// only in them have the same shingles.
func TestCourtesyIgnored(t *testing.T) {
	a := "Добрый день, Андрей Викторович! Прошу отремонтировать дорогу на улице Ленина возле школы. С уважением, Иванов"
	b := "Здравствуйте, Андрей Петрович! Прошу отремонтировать дорогу на улице Ленина возле школы. Заранее благодарю. Иванов"
	assert.InDelta(t, 1.0, similarityOf(a, b), 1e-9)
	assert.Equal(t, Sign(textnorm.Tokens(a)), Sign(textnorm.Tokens(b)))
}

// The set of a sketch's top bits counts at least the hashes another sketch has in common with
// it, so a candidate it rules out could not have reached the score.
func FuzzSketchBitsBound(f *testing.F) {
	f.Add([]byte{1, 2, 3}, []byte{2, 3, 4}, uint8(7))
	f.Add([]byte{}, []byte{9}, uint8(0))
	f.Fuzz(func(t *testing.T, a, b []byte, spread uint8) {
		// Bytes become increasing hashes; spread moves them apart, so that some share top bits
		// without being equal.
		hashes := func(bs []byte) []uint32 {
			out := make([]uint32, 0, len(bs))
			for _, v := range bs {
				out = append(out, uint32(v)<<(spread%24)|uint32(v)*0x9e37)
			}
			slices.Sort(out)
			return slices.Compact(out)
		}
		x, y := hashes(a), hashes(b)
		var bits sketchBits
		bits.fill(x)
		got, want := bits.shared(y), common(x, y)
		if got < want {
			t.Fatalf("shared %d < common %d", got, want)
		}
		if got > len(y) {
			t.Fatalf("shared %d > %d hashes", got, len(y))
		}
	})
}

func TestSketchBitsShared(t *testing.T) {
	var bits sketchBits
	bits.fill([]uint32{1 << 16, 5 << 16, 0xffff_0000})
	assert.Equal(t, 3, bits.shared([]uint32{1<<16 | 7, 5 << 16, 0xffff_ffff}), "the top 16 bits decide")
	assert.Equal(t, 0, bits.shared([]uint32{2 << 16, 0}))
}
