package similar

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Version is the version of signatures: of the shingling, the hash functions and their seeds,
// and of the textnorm tokens they are made from. A signature of another version is refused by
// UnmarshalBinary (ErrVersion); sign the text again.
const Version = 1

// The shape of a signature. Bands × Rows minimum hashes: two documents become candidates of
// each other when all Rows hashes of any one band agree, which for Jaccard similarity J
// happens with probability 1 − (1 − J²)^Bands: 0.93 at J = 0.25 (about the least a pair at
// Options.SimilarScore has), 0.98 at 0.3, 0.9985 at 0.4, 0.1 at 0.05. Three rows would read a
// seventh as many slots but find a pair at J = 0.25 half the time: against a full scan of
// 1,000,000 generated letters, whose best five are a fifth at J 0.2–0.3, recall@5 would be
// 0.89, against 0.99 with two (BenchmarkQuery). Duplicates do not depend on the bands: they
// are looked for among all of the applicant's appeals.
const (
	// Bands is the number of LSH bands.
	Bands = 40
	// Rows is the number of minimum hashes in a band.
	Rows = 2
	// Hashes is the number of minimum hashes in a signature.
	Hashes = Bands * Rows
	// SketchSize is the most shingle hashes a signature keeps: the smallest, a bottom-k
	// sketch. Similarity is exact for texts of up to SketchSize distinct shingles (about 2,500
	// characters of a letter) and estimated from the sketches above that.
	SketchSize = 256
)

// Errors of UnmarshalBinary.
var (
	// ErrVersion is a signature of another Version.
	ErrVersion = errors.New("similar: signature of another version")
	// ErrSignature is malformed signature bytes.
	ErrSignature = errors.New("similar: malformed signature")
)

// Signature is what the index knows of a text: its MinHash values for candidate search and a
// sketch of its shingles for exact similarity. It is built by Sign from textnorm tokens, is
// the same on every machine and run (the hash seeds are constants), and can be stored with the
// appeal (MarshalBinary) so that an index is filled again without the texts.
type Signature struct {
	// MinHash holds the minimum of each hash function over the text's shingles; all
	// math.MaxUint32 for a text without shingles.
	MinHash [Hashes]uint32
	// Shingles is the number of distinct shingles of the text (distinct 32-bit hashes).
	Shingles int
	// Sketch holds the smallest shingle hashes, at most SketchSize, in increasing order.
	Sketch []uint32
}

// Empty reports whether the signed text had no shingles (no words but stop words): such a
// signature matches nothing.
func (s *Signature) Empty() bool { return s.Shingles == 0 }

// The hash functions. A shingle's 32-bit hash x goes through Hashes functions
// h_i(x) = (x·a_i + b_i) >> 32 in 64-bit arithmetic, with odd multipliers a_i; a_i and b_i
// come from a SplitMix64 sequence started at hashSeed, so they are fixed by this code, not by
// the process (hash/maphash would change them every run).
const hashSeed = 0x5f3759df_9e3779b9

var multipliers, offsets = func() (a, b [Hashes]uint64) {
	state := uint64(hashSeed)
	for i := range a {
		a[i] = splitmix(&state) | 1
		b[i] = splitmix(&state)
	}
	return a, b
}()

func splitmix(state *uint64) uint64 {
	*state += 0x9e3779b97f4a7c15
	return mix(*state)
}

// mix is the SplitMix64 finalizer: a bijection of uint64 with good avalanche.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// hashToken is 64-bit FNV-1a of a token.
func hashToken(t string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(t); i++ {
		h ^= uint64(t[i])
		h *= 1099511628211
	}
	return h
}

// courtesy are the stems of greetings and closing formulas («Уважаемый…», «Здравствуйте»,
// «С уважением», «Заранее спасибо»), which letters add or drop when they are sent again; they
// are no part of a shingle.
var courtesy = map[string]bool{
	"уважа": true, "уважаем": true, "уважен": true, "здравств": true, "здравствуйт": true,
	"добр": true, "ден": true, "спасиб": true, "благодар": true, "заран": true,
	"искрен": true, "почтен": true,
}

// shingleWords is the number of neighbouring kept tokens in a shingle.
const shingleWords = 3

// shingleTokens calls fn with each shingle of the tokens: shingleWords kept tokens in a row
// (a text with fewer kept tokens is one shingle of them all), with the indexes of its words
// in tokens (valid during the call). Courtesy words and patronymics (the addressee's «Андрей
// Викторович», the signer's) are not kept: re-sent letters change them. A shingle is known
// by a 32-bit hash: two shingles of one text share it with a chance of about |text|²/2³³, and
// then count as one.
func shingleTokens(tokens []string, fn func(hash uint32, words []int)) {
	var words, in [shingleWords]int // the last kept tokens, a ring; the shingle's, in order
	var hashes [shingleWords]uint64
	kept := 0
	emit := func(n int) {
		h := uint64(n)
		for k := range n {
			h = mix(h*0x9e3779b97f4a7c15 + hashes[(kept-n+k)%shingleWords])
			in[k] = words[(kept-n+k)%shingleWords]
		}
		fn(uint32(h>>32), in[:n])
	}
	for i, t := range tokens {
		if courtesy[t] || isPatronymic(t) {
			continue
		}
		words[kept%shingleWords], hashes[kept%shingleWords] = i, hashToken(t)
		kept++
		if kept >= shingleWords {
			emit(shingleWords)
		}
	}
	if kept > 0 && kept < shingleWords {
		emit(kept)
	}
}

// isPatronymic reports whether a stem looks like a patronymic: Иванович, Петровна.
func isPatronymic(stem string) bool {
	for _, suf := range [...]string{"ович", "евич", "овн", "евн"} {
		if strings.HasSuffix(stem, suf) && len(stem) > len(suf)+2 {
			return true
		}
	}
	return false
}

// Sign returns the signature of a text's tokens (textnorm.Normalizer.AppendTokens).
func Sign(tokens []string) Signature {
	var s Signature
	for i := range s.MinHash {
		s.MinHash[i] = math.MaxUint32
	}
	shingles := make([]uint32, 0, len(tokens))
	shingleTokens(tokens, func(h uint32, _ []int) { shingles = append(shingles, h) })
	slices.Sort(shingles)
	shingles = slices.Compact(shingles)
	s.Shingles = len(shingles)
	for _, x := range shingles {
		for i := range s.MinHash {
			if v := uint32((uint64(x)*multipliers[i] + offsets[i]) >> 32); v < s.MinHash[i] {
				s.MinHash[i] = v
			}
		}
	}
	s.Sketch = slices.Clip(shingles[:min(len(shingles), SketchSize)])
	return s
}

// similarity is the cosine similarity of two texts' shingle sets, |A∩B| / √(|A|·|B|), from
// their sketches: exact when both sketches hold the whole set, else the intersection is
// estimated from the bottom-k sketch of the union. It is 1 for the same text, 0 for texts
// without a common shingle; unlike Jaccard similarity, a letter re-sent with one added
// paragraph stays close to 1.
func similarity(a, b sketch) float64 {
	if a.n == 0 || b.n == 0 {
		return 0
	}
	var inter float64
	if a.complete() && b.complete() {
		inter = float64(common(a.hashes, b.hashes))
	} else {
		jac := bottomK(a.hashes, b.hashes, min(len(a.hashes), len(b.hashes)))
		inter = jac * float64(a.n+b.n) / (1 + jac)
	}
	return min(1, inter/math.Sqrt(float64(a.n)*float64(b.n)))
}

// common counts the values two increasing lists share.
func common(x, y []uint32) int {
	n, i, j := 0, 0, 0
	for i < len(x) && j < len(y) {
		// Written without branches on the comparison, which a merge mispredicts half the time.
		a, b := x[i], y[j]
		var di, dj, eq int
		if a <= b {
			di = 1
		}
		if b <= a {
			dj = 1
		}
		if a == b {
			eq = 1
		}
		i, j, n = i+di, j+dj, n+eq
	}
	return n
}

// bottomK estimates the Jaccard similarity of two sets from their bottom-k sketches: the
// share of the k smallest values of the union that are in both.
func bottomK(x, y []uint32, k int) float64 {
	both, seen := 0, 0
	for i, j := 0, 0; seen < k && i < len(x) && j < len(y); seen++ {
		switch {
		case x[i] < y[j]:
			i++
		case y[j] < x[i]:
			j++
		default:
			both++
			i++
			j++
		}
	}
	if seen == 0 {
		return 0
	}
	return float64(both) / float64(seen)
}

// sketch is what similarity needs of a signature: the number of shingles and the smallest
// hashes.
type sketch struct {
	n      int
	hashes []uint32
}

func (s *Signature) sketch() sketch { return sketch{s.Shingles, s.Sketch} }

// complete reports whether the sketch holds every shingle hash of its text.
func (s sketch) complete() bool { return len(s.hashes) == s.n }

// sketchBits is a set of the top 16 bits of a sketch's hashes. The hashes of another sketch
// found in it (shared) are at least the hashes the two sketches have in common, so it bounds
// their similarity from above at a load a hash, where common merges two lists.
type sketchBits [1 << 16 / 64]uint64

func (b *sketchBits) fill(hashes []uint32) {
	for _, h := range hashes {
		b[h>>22] |= 1 << (h >> 16 & 63)
	}
}

// clear empties the set filled with hashes.
func (b *sketchBits) clear(hashes []uint32) {
	for _, h := range hashes {
		b[h>>22] = 0
	}
}

// shared counts the hashes whose top 16 bits are in the set.
func (b *sketchBits) shared(hashes []uint32) int {
	n := 0
	for _, h := range hashes {
		n += int(b[h>>22] >> (h >> 16 & 63) & 1)
	}
	return n
}

// MarshalBinary encodes the signature: a version byte, the shingle count and sketch length as
// uvarints, the MinHash values as little-endian uint32, then the sketch as uvarint deltas.
func (s Signature) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 1+2*binary.MaxVarintLen32+4*Hashes+3*len(s.Sketch))
	b = append(b, Version)
	b = binary.AppendUvarint(b, uint64(s.Shingles))
	b = binary.AppendUvarint(b, uint64(len(s.Sketch)))
	for _, v := range s.MinHash {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	prev := uint32(0)
	for _, v := range s.Sketch {
		b = binary.AppendUvarint(b, uint64(v-prev))
		prev = v
	}
	return b, nil
}

// UnmarshalBinary decodes a signature written by MarshalBinary. Bytes of another Version give
// ErrVersion; bytes that are not a well-formed signature (short, a sketch out of order or
// longer than SketchSize, trailing bytes) give ErrSignature. On error s is unchanged.
func (s *Signature) UnmarshalBinary(b []byte) error {
	if len(b) == 0 {
		return fmt.Errorf("%w: empty", ErrSignature)
	}
	if b[0] != Version {
		return fmt.Errorf("%w: version %d, this code reads %d", ErrVersion, b[0], Version)
	}
	b = b[1:]
	shingles, n := binary.Uvarint(b)
	if n <= 0 || shingles > math.MaxInt32 {
		return fmt.Errorf("%w: shingle count", ErrSignature)
	}
	b = b[n:]
	size, n := binary.Uvarint(b)
	if n <= 0 || size != min(shingles, SketchSize) {
		return fmt.Errorf("%w: sketch length", ErrSignature)
	}
	b = b[n:]
	if len(b) < 4*Hashes {
		return fmt.Errorf("%w: short", ErrSignature)
	}
	var out Signature
	for i := range out.MinHash {
		out.MinHash[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	b = b[4*Hashes:]
	out.Shingles = int(shingles)
	out.Sketch = make([]uint32, size)
	prev := uint64(0)
	for i := range out.Sketch {
		d, n := binary.Uvarint(b)
		if n <= 0 || d == 0 && i > 0 || prev+d > math.MaxUint32 {
			return fmt.Errorf("%w: sketch", ErrSignature)
		}
		b = b[n:]
		prev += d
		out.Sketch[i] = uint32(prev)
	}
	if len(b) != 0 {
		return fmt.Errorf("%w: trailing bytes", ErrSignature)
	}
	*s = out
	return nil
}
