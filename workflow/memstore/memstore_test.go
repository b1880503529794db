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

func TestSearch(t *testing.T) {
	storetest.RunSearch(t, func(*testing.T) workflow.Store { return memstore.New(memstore.Options{}) })
}

func TestEngineSearch(t *testing.T) {
	storetest.CheckEngineSearch(t, memstore.New(memstore.Options{}))
}
