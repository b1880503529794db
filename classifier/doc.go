// Package classifier owns the typical all-Russian thematic classifier of appeals (типовой
// общероссийский тематический классификатор обращений), edition «Классификаторы на 31.10.2025»,
// embedded in the package: codes, lookup, navigation, the organization's subset, and typeahead
// search for the code an appeal's question carries.
//
// The main call:
//
//	c := classifier.Embedded()
//	for _, m := range c.Search("пересел авар", 10) { fmt.Println(m.Code, m.Title) }
//	node, err := c.Get(classifier.MustParse("0005.0005.0055.1122"))
//
// A Code has five blocks, section.theme.topic.question.refinement
// (раздел.тематика.тема.вопрос.уточнение); the blocks below the code's own level are zero, and the
// fifth block is written only for a refinement. Question numbers repeat under several topics, so the full code is the key. Levels 1–3
// are navigation; an appeal's question carries a question or a refinement (see
// Classifier.Assignable).
//
// The embedded data (data/classifier.csv) and its provenance (data/SOURCE.md) are copied from the
// project's shared references; Load reads another edition of the same shape.
package classifier
