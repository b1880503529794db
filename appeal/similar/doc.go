// Package similar owns the search for duplicate and similar appeals (повторные и похожие
// обращения): the signature of an appeal's text, and an index that answers, for an appeal,
// which held appeals are its duplicate candidates — the same applicant, a similar text,
// within a window (60 days by default) — and which are similar, from any applicant, each with
// a score and the reason.
//
// The main call:
//
//	x := similar.NewMemIndex(similar.Options{})
//	err := x.Put(similar.NewDocument(card, applicantKeys, &normalizer)) // on every change
//	res := x.Query(similar.NewDocument(newCard, newKeys, &normalizer))  // res.Duplicates, res.Similar
//
// A text becomes textnorm tokens; its shingles are pairs of neighbouring tokens, greetings,
// closing formulas and patronymics left out, so a letter sent again with sentences reordered,
// a few typos, another greeting, ё written as е or other quotes keeps most of them. A
// Signature holds the MinHash values of the shingles (Hashes hash functions whose seeds are
// constants of this code, so a stored signature stays valid on every machine and run) and a
// bottom-k sketch of the shingles themselves. The index finds candidates by LSH bands of the
// MinHash values, by applicant key and by building, and ranks them by the similarity of their
// shingle sets (cosine, exact up to SketchSize shingles), which a paragraph added to a letter
// changes little. A band candidate is first checked on the low bytes of its MinHash values,
// and every candidate on a bitmap of the query's shingles, which bounds its score from above:
// the exact similarity runs only for those that can reach a score kept. What these checks
// read of the held documents lies in two arrays without pointers (the collector skips them),
// read ahead of use, since at a million appeals nearly every read is a cache miss.
//
// The applicant keys come from the caller (the engine's workflow.ApplicantKeys); this
// package only compares them. Signatures can be stored with the appeals (MarshalBinary), so
// that an index is filled again at start without normalizing every text.
package similar
