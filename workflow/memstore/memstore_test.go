package memstore_test

import (
	"testing"

	"github.com/fz59/appeals/workflow"
	"github.com/fz59/appeals/workflow/memstore"
	"github.com/fz59/appeals/workflow/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) workflow.Store { return memstore.New(memstore.Options{}) })
}

// The same contract holds when finished appeals are compressed from the second one on.
func TestConformancePacked(t *testing.T) {
	storetest.Run(t, func(*testing.T) workflow.Store { return memstore.New(memstore.Options{PackAfter: 2}) })
}

func TestSearch(t *testing.T) {
	storetest.RunSearch(t, func(*testing.T) workflow.Store { return memstore.New(memstore.Options{}) })
}

// Search finds compressed appeals as it finds the others.
func TestSearchPacked(t *testing.T) {
	storetest.RunSearch(t, func(*testing.T) workflow.Store { return memstore.New(memstore.Options{PackAfter: 2}) })
}

func TestEngineSearch(t *testing.T) {
	storetest.CheckEngineSearch(t, memstore.New(memstore.Options{}))
}
