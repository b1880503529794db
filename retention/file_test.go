package retention

import (
	"errors"
	"testing"
	"time"

	"github.com/fz59/appeals/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func date(y int, m time.Month, d int) deadline.Date { return deadline.Date{Year: y, Month: m, Day: d} }

func TestDecide(t *testing.T) {
	host, err := NewSchedule(Rule{Edition: "nom-2011", Article: "02-07", Category: "register", Period: RetentionPeriod{Years: 3}})
	require.NoError(t, err)
	std := Standard()
	tests := []struct {
		name     string
		sched    *Schedule
		file     File
		on       deadline.Date
		years    int
		from     deadline.Date
		eligible deadline.Date
		status   Status
		ref      string
	}{
		{"operational closed 31 Dec, day before", std,
			File{Category: CategoryOperational, Closed: date(2024, 12, 31)}, date(2029, 12, 31),
			5, date(2024, 12, 31), date(2030, 1, 1), StatusKeep, "ст. 154 «в» (2019)"},
		{"operational closed 31 Dec, on the day", std,
			File{Category: CategoryOperational, Closed: date(2024, 12, 31)}, date(2030, 1, 1),
			5, date(2024, 12, 31), date(2030, 1, 1), StatusDestroyDue, "ст. 154 «в» (2019)"},
		{"operational closed 1 Jan waits a year more", std,
			File{Category: CategoryOperational, Closed: date(2025, 1, 1)}, date(2030, 1, 1),
			5, date(2025, 1, 1), date(2031, 1, 1), StatusKeep, "ст. 154 «в» (2019)"},
		{"personal ЭПК becomes review due, not destroy", std,
			File{Category: CategoryPersonal, Closed: date(2024, 6, 10)}, date(2030, 1, 1),
			5, date(2024, 6, 10), date(2030, 1, 1), StatusReviewDue, "ст. 154 «б» (2019)"},
		{"personal ЭПК before its date", std,
			File{Category: CategoryPersonal, Closed: date(2024, 6, 10)}, date(2029, 12, 31),
			5, date(2024, 6, 10), date(2030, 1, 1), StatusKeep, "ст. 154 «б» (2019)"},
		{"personal ЭПК reviewed: destroy", std,
			File{Category: CategoryPersonal, Closed: date(2024, 6, 10), Review: ReviewDestroy}, date(2030, 2, 1),
			5, date(2024, 6, 10), date(2030, 1, 1), StatusDestroyDue, "ст. 154 «б» (2019)"},
		{"personal ЭПК reviewed: keep permanently", std,
			File{Category: CategoryPersonal, Closed: date(2024, 6, 10), Review: ReviewKeep}, date(2030, 2, 1),
			0, date(2024, 6, 10), deadline.Date{}, StatusPermanent, "ст. 154 «б» (2019)"},
		{"serious is permanent", std,
			File{Category: CategorySerious, Closed: date(2001, 1, 1)}, date(2999, 1, 1),
			0, date(2001, 1, 1), deadline.Date{}, StatusPermanent, "ст. 154 «а» (2019)"},
		{"serious repeated is still permanent", std,
			File{Category: CategorySerious, Closed: date(2001, 1, 1), Repeated: true, LastConsidered: date(2003, 1, 1)}, date(2999, 1, 1),
			0, date(2001, 1, 1), deadline.Date{}, StatusPermanent, "ст. 154 «а» (2019)"},
		{"repeated counts from the last consideration", std,
			File{Category: CategoryPersonal, Registered: date(2020, 2, 3), Closed: date(2022, 3, 1), Repeated: true, LastConsidered: date(2024, 11, 20)}, date(2029, 12, 31),
			5, date(2024, 11, 20), date(2030, 1, 1), StatusKeep, "ст. 154 «б» (2019)"},
		{"repeated without a last consideration counts from closing", std,
			File{Category: CategoryOperational, Closed: date(2022, 3, 1), Repeated: true}, date(2028, 1, 1),
			5, date(2022, 3, 1), date(2028, 1, 1), StatusDestroyDue, "ст. 154 «в» (2019)"},
		{"last consideration before closing does not shorten", std,
			File{Category: CategoryOperational, Closed: date(2022, 3, 1), Repeated: true, LastConsidered: date(2021, 5, 5)}, date(2028, 1, 1),
			5, date(2022, 3, 1), date(2028, 1, 1), StatusDestroyDue, "ст. 154 «в» (2019)"},
		{"not repeated ignores the last consideration", std,
			File{Category: CategoryOperational, Closed: date(2022, 3, 1), LastConsidered: date(2024, 5, 5)}, date(2028, 1, 1),
			5, date(2022, 3, 1), date(2028, 1, 1), StatusDestroyDue, "ст. 154 «в» (2019)"},
		{"2010 edition", std,
			File{Category: CategoryPersonal, Edition: Edition2010, Closed: date(2018, 12, 29)}, date(2024, 1, 1),
			5, date(2018, 12, 29), date(2024, 1, 1), StatusReviewDue, "ст. 183 «б» (2010)"},
		{"host nomenclature item: 3 years closed 2011 → 2015", host,
			File{Category: "register", Edition: "nom-2011", Closed: date(2011, 7, 1)}, date(2015, 1, 1),
			3, date(2011, 7, 1), date(2015, 1, 1), StatusDestroyDue, "ст. 02-07 (nom-2011)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := tt.sched.Decide(tt.file, tt.on)
			require.NoError(t, err)
			assert.Equal(t, tt.years, d.Years, "years")
			assert.Equal(t, tt.from, d.From, "from")
			assert.Equal(t, tt.eligible, d.Eligible, "eligible")
			assert.Equal(t, tt.status, d.Status, "status %v", d.Status)
			assert.Equal(t, tt.ref, d.Rule.Ref())
		})
	}
}

func TestDecideRefuses(t *testing.T) {
	on := date(2030, 1, 1)
	tests := []struct {
		name string
		file File
		want error
	}{
		{"unknown category", File{Number: "1", Category: "secret", Closed: date(2024, 1, 1)}, ErrUnknownCategory},
		{"empty category", File{Number: "1", Closed: date(2024, 1, 1)}, ErrUnknownCategory},
		{"unknown edition", File{Number: "1", Category: CategoryPersonal, Edition: "1990", Closed: date(2024, 1, 1)}, ErrUnknownCategory},
		{"not closed", File{Number: "1", Category: CategoryPersonal}, ErrNotClosed},
		{"closed before registered", File{Number: "1", Category: CategoryPersonal, Registered: date(2024, 2, 1), Closed: date(2024, 1, 31)}, ErrClosedBeforeRegistered},
		{"last considered before registered", File{Number: "1", Category: CategoryPersonal, Registered: date(2024, 2, 1), Closed: date(2024, 3, 1), LastConsidered: date(2023, 1, 1)}, ErrClosedBeforeRegistered},
		{"no such day", File{Number: "1", Category: CategoryPersonal, Closed: date(2024, 2, 30)}, ErrBadFile},
		{"year zero", File{Number: "1", Category: CategoryPersonal, Closed: date(0, 1, 1)}, ErrBadFile},
		{"year 10000", File{Number: "1", Category: CategoryPersonal, Closed: date(10000, 1, 1)}, ErrBadFile},
		{"negative volumes", File{Number: "1", Category: CategoryPersonal, Closed: date(2024, 1, 1), Volumes: -1}, ErrBadFile},
		{"unknown outcome", File{Number: "1", Category: CategoryPersonal, Closed: date(2024, 1, 1), Review: "maybe"}, ErrBadFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Standard().Decide(tt.file, on)
			require.ErrorIs(t, err, tt.want)
			var fe *FileError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "1", fe.File)
			assert.Contains(t, err.Error(), `file "1"`)
		})
	}
}

func TestCheckDestroy(t *testing.T) {
	s := Standard()
	tests := []struct {
		name string
		file File
		on   deadline.Date
		want error // nil: may be destroyed
		text string
	}{
		{"operational, due", File{Number: "02-15/2024", Category: CategoryOperational, Closed: date(2024, 5, 1)}, date(2030, 1, 1), nil, ""},
		{"permanent", File{Number: "02-14/2024", Category: CategorySerious, Closed: date(2024, 5, 1)}, date(2090, 1, 1), ErrPermanent, "ст. 154 «а» (2019), Постоянно"},
		{"kept by review", File{Number: "02-16/2024", Category: CategoryPersonal, Closed: date(2024, 5, 1), Review: ReviewKeep}, date(2030, 1, 1), ErrPermanent, "selected for permanent storage"},
		{"too early", File{Number: "02-15/2024", Category: CategoryOperational, Closed: date(2024, 5, 1)}, date(2029, 12, 31), ErrNotYetEligible, "from 2030-01-01, not on 2029-12-31"},
		{"ЭПК unreviewed", File{Number: "02-16/2024", Category: CategoryPersonal, Closed: date(2024, 5, 1)}, date(2030, 1, 1), ErrReviewRequired, "5 лет ЭПК"},
		{"ЭПК reviewed", File{Number: "02-16/2024", Category: CategoryPersonal, Closed: date(2024, 5, 1), Review: ReviewDestroy}, date(2030, 1, 1), nil, ""},
		{"bad file", File{Number: "x", Category: CategoryOperational}, date(2030, 1, 1), ErrNotClosed, "no closing date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.CheckDestroy(tt.file, tt.on)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			var fe *FileError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.file.Number, fe.File)
			assert.Contains(t, err.Error(), tt.text)
			for _, other := range []error{ErrPermanent, ErrNotYetEligible, ErrReviewRequired, ErrNotClosed} {
				if other != tt.want {
					assert.False(t, errors.Is(err, other), "also %v", other)
				}
			}
		})
	}
}

func TestStatusString(t *testing.T) {
	for s, want := range map[Status]string{StatusKeep: "keep", StatusPermanent: "permanent",
		StatusReviewDue: "review due", StatusDestroyDue: "destroy due", Status(9): "Status(9)", Status(-1): "Status(-1)"} {
		assert.Equal(t, want, s.String())
	}
}
