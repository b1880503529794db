// Package suggest suggests classifier codes for an appeal's text: the questions (and
// refinements) of the thematic classifier a clerk is likely to assign, ranked, each with the
// words of the text that led to it, so that the clerk sees why.
//
// The main call:
//
//	m, err := suggest.New(classifier.Embedded(), suggest.Options{}) // or an organization's Subset
//	for _, s := range m.Suggest("почему опять насчитали 8 тысяч за отопление", 5) { fmt.Println(s.Code, s.Title, s.Words) }
//	err = m.Learn(text, code) // on each classification a clerk makes; Rebuild from the store at start
//
// Two sources of evidence are added up per question, in units of a word's rarity:
//
//   - the built-in knowledge: the classifier's titles and a vocabulary of the words citizens
//     write for each subject (data/vocabulary.csv: «ЖКУ», «капремонт», «УК», «маткапитал»,
//     «батареи холодные»…, with its provenance in data/SOURCE.md; a person must review it).
//     Words are compared as appeal/textnorm stems; a phrase matches when its words stand within
//     a few words of each other; one wrong letter is forgiven in longer words («атопление»); a
//     word of the text counts once per code however many of its terms it is in. A topic's terms
//     go to all its questions, most to the one the vocabulary names as the topic's main.
//   - the history: what clerks classified before (Learn, Forget, Rebuild). Each word of a text
//     speaks for the codes whose texts had it, by a naive Bayes likelihood ratio against its
//     frequency in all the texts learned; a word needs to come with a code more than once, and
//     a code several such words, before the history outweighs the knowledge. Memory is capped
//     by Options.MaxHistory (halving decay).
//
// A model built over a Subset suggests only the codes the subset can assign. Suggest on a
// 1,500-character letter takes about 0.12 ms of CPU, 0.15 ms with the history of 100,000
// appeals (BenchmarkSuggest); Rebuild of 100,000 appeals about 5 s of CPU spread over the cores
// (BenchmarkRebuild); the knowledge takes 5 MB, that history 7 MB. Pure Go: no network, no
// model to download. A Model is safe for concurrent use.
package suggest
