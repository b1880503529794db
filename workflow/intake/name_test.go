package intake

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSplitName(t *testing.T) {
	tests := []struct {
		in   string
		want name
		ok   bool
	}{
		{"Иванов Иван Иванович", name{"Иванов", "Иван", "Иванович"}, true},
		{"Иван Иванович Иванов", name{"Иванов", "Иван", "Иванович"}, true},
		{"Сидорова Анна Викторовна", name{"Сидорова", "Анна", "Викторовна"}, true},
		{"Мамедов Эльчин Рашид оглы", name{}, false},
		{"Алиев Рашид Ильхам-оглы", name{"Алиев", "Рашид", "Ильхам-оглы"}, true},
		{"Иванов И.И.", name{"Иванов", "И.", "И."}, true},
		{"И. И. Иванов", name{"Иванов", "И.", "И."}, true},
		{"Иванов И.", name{Surname: "Иванов", GivenName: "И."}, true},
		{"Петрова Анна", name{Surname: "Петрова", GivenName: "Анна"}, true},
		{"Анна Петрова", name{Surname: "Петрова", GivenName: "Анна"}, true},
		{`"Петров-Водкин Кузьма Сергеевич"`, name{"Петров-Водкин", "Кузьма", "Сергеевич"}, true},
		{"Анна Ким", name{}, false},           // either way round
		{"Иванов Иван Петров", name{}, false}, // no patronymic
		{"Ivan Ivanov", name{}, false},
		{"Иванов", name{}, false},
		{"Отдел кадров ООО Ромашка", name{}, false},
		{"Иванов 2 Иванович", name{}, false},
		{"", name{}, false},
		{"- -", name{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := splitName(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}
