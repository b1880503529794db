// Package textnorm owns the module's one normalizer of Russian appeal text: the tokens that
// similarity, classifier suggestions and search are built on. It folds case (Unicode case
// folding, ё as е), drops punctuation and stop words, stems Russian words by the Snowball
// Russian algorithm, and keeps numbers and address parts as tokens («дом 5а» → «д5а»,
// «кв. 12» → «кв12»). It imports nothing of the module, so any package may use it.
//
// The main call:
//
//	var n textnorm.Normalizer // one per goroutine; it reuses its buffers
//	tokens = n.AppendTokens(tokens[:0], "Течёт крыша в доме № 5, кв. 12")
//	// ["течет" "крыш" "д5" "кв12"]
//
// Tokens is the one-off form, Stem stems one word, Fold folds a string without cutting it.
//
// The stemmer is this package's own implementation of the algorithm as published by the
// Snowball project (snowballstem.org/algorithms/russian), checked against the project's whole
// Russian reference vocabulary (testdata, with its SOURCE.md). It works on one byte a letter
// and allocates nothing; github.com/kljensen/snowball, the maintained Go port, gives the same
// stems but allocates and is about twenty times slower (BenchmarkStem), which matters on a
// path that runs on every appeal.
//
// The tokens are a stable interface: signatures stored by appeal/similar and search indexes
// depend on them, so a change to what a text yields is a change of their versions.
package textnorm
