package classifier

// codeIndex finds an entry by its code: open addressing with linear probing over a power-of-two
// table at most half full. For this small fixed key it is several times faster than a map, which
// hashes the ten bytes of a Code with a general-purpose hash.
type codeIndex struct {
	slots []int32 // entry index + 1; 0 marks an empty slot
	shift uint    // 64 - log2(len(slots)): home keeps the top bits of the product
}

func newCodeIndex(nodes []entry) codeIndex {
	size := 2
	for size < 2*len(nodes) {
		size *= 2
	}
	x := codeIndex{slots: make([]int32, size), shift: 64}
	for ; size > 1; size /= 2 {
		x.shift--
	}
	for i := range nodes {
		s := x.home(nodes[i].Code)
		for x.slots[s] != 0 {
			s = (s + 1) & (len(x.slots) - 1)
		}
		x.slots[s] = int32(i) + 1
	}
	return x
}

// home is the slot where the search for c starts (Fibonacci hashing of the packed blocks).
func (x *codeIndex) home(c Code) int {
	h := uint64(c.b[0]) | uint64(c.b[1])<<16 | uint64(c.b[2])<<32 | uint64(c.b[3])<<48
	h = (h ^ uint64(c.b[4])*0xff51afd7ed558ccd) * 0x9e3779b97f4a7c15
	return int(h >> x.shift)
}

// indexOf returns the index of the entry with the code, or false.
func (c *Classifier) indexOf(code Code) (int32, bool) {
	mask := len(c.index.slots) - 1
	for s := c.index.home(code); ; s = (s + 1) & mask {
		i := c.index.slots[s] - 1
		if i < 0 {
			return -1, false
		}
		if c.nodes[i].Code == code {
			return i, true
		}
	}
}
