// Package suggest suggests classifier codes for an appeal's text: the questions (and
// refinements) of the thematic classifier a clerk is likely to assign, ranked, each with the
// words of the text that led to it, so the clerk sees why.
//
// The main call:
//
//	m, err := suggest.New(classifier.Embedded(), suggest.Options{})
//	for _, s := range m.Suggest("почему опять насчитали 8 тысяч за отопление", 5) { fmt.Println(s.Code, s.Title, s.Words) }
//	err = m.Learn(text, code) // on each classification the clerk makes
//
// Two sources of evidence are added up. The built-in knowledge is the classifier's titles and a
// vocabulary of the words citizens actually write for each subject (data/vocabulary.csv: «ЖКУ»,
// «капремонт», «УК», «маткапитал», «батареи холодные»…), kept as data with its provenance in
// data/SOURCE.md; a person must review it. The history is what clerks classified before: Learn
// on each classification, Rebuild from the store at start; memory is capped by
// Options.MaxHistory. Words are compared as textnorm's stems, with one letter wrong forgiven in
// longer words, so «атопление» still reads as «отопление».
//
// Pure Go: no network, no model to download. A Model is safe for concurrent use.
package suggest
