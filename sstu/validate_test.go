package sstu

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/fz59/appeals/appeal"
	"github.com/fz59/appeals/classifier"
	"github.com/fz59/appeals/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func yes() *bool { b := true; return &b }

func day(d int) deadline.Date { return deadline.NewDate(2024, 3, d) }

// validRecord is an illustrative record of docs/sstu.md §1 with real dates and content.
func validRecord() Record {
	return Record{
		DepartmentID: ourDept, IsDirect: false, Format: FormatElectronic, Number: "А26-05-00000000",
		CreateDate: day(1), Name: "Иванов Иван Иванович", Address: "г. Москва",
		Questions: []Question{
			{Code: "0005.0005.0056.1147", Status: appeal.StatusSupported, ActionsTaken: yes(),
				IncomingDate: day(4), RegistrationDate: day(5), ResponseDate: day(28),
				Attachment: &Attachment{Name: "Ответ.pdf", Content: []byte("%PDF-1.4\n")}},
			{Code: "0001.0001.0001.0001", Status: appeal.StatusTransferred,
				IncomingDate: day(4), RegistrationDate: day(5),
				Transfer: &Transfer{DepartmentID: otherDept, TransferDate: day(7), TransferNumber: "01-15/123"}},
		},
	}
}

type found struct {
	Path string
	Rule Rule
}

func pathsRules(ps []Problem, sev Severity) []found {
	var out []found
	for _, p := range ps {
		if p.Severity == sev {
			out = append(out, found{p.Path, p.Rule})
		}
	}
	return out
}

func TestValidRecord(t *testing.T) {
	r := validRecord()
	var v Validator
	assert.Empty(t, v.Record(&r))
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Empty(t, v.JSON("r.json", b))
}

func TestRealSample(t *testing.T) {
	data, err := os.ReadFile("testdata/perm-smd-handlingreport-request.json")
	require.NoError(t, err)

	ps := (&Validator{}).JSON("sample.json", data)
	assert.False(t, HasErrors(ps), "%v", ps)
	assert.Len(t, ps, 9) // the relay's own fields, warnings
	for _, p := range ps {
		assert.Equal(t, RuleUnknownField, p.Rule)
		assert.Equal(t, "sample.json", p.File)
	}
	assert.Contains(t, pathsRules(ps, Warning), found{"$[0].requestId", RuleUnknownField})
	assert.Contains(t, pathsRules(ps, Warning), found{"$[0].questions[0].questionStatusName", RuleUnknownField})

	strict := (&Validator{Strict: true}).JSON("sample.json", data)
	assert.True(t, HasErrors(strict))

	recs, err := readJSON("sample.json", data)
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.Equal(t, Question{Code: "0005.0005.0055.1122", Status: appeal.StatusNotRegistered, IncomingDate: deadline.NewDate(2020, 8, 4)}, recs[0].Questions[0])
	assert.Equal(t, deadline.NewDate(2020, 8, 3), recs[0].CreateDate)
	assert.False(t, recs[0].IsDirect)
	assert.Empty(t, (&Validator{}).Record(&recs[0]))
}

// TestInvalidRecords changes one thing in a valid record and asserts the rule and path the
// validator reports, for the typed Record and for its JSON: the two must agree, so the Go
// shape checks and the embedded JSON Schema say the same.
func TestInvalidRecords(t *testing.T) {
	q0, q1 := "$.questions[0].", "$.questions[1]."
	tests := []struct {
		name   string
		change func(r *Record)
		path   string
		rule   Rule
	}{
		{"department not a GUID", func(r *Record) { r.DepartmentID = "ГЖИ" }, "$.departmentId", RuleUUID},
		{"department empty", func(r *Record) { r.DepartmentID = "" }, "$.departmentId", RuleUUID},
		{"department GUID in braces", func(r *Record) { r.DepartmentID = "{" + ourDept[:34] + "}" }, "$.departmentId", RuleUUID},
		{"format Paper", func(r *Record) { r.Format = "Paper" }, "$.format", RuleFormat},
		{"format in Russian", func(r *Record) { r.Format = "Электронный" }, "$.format", RuleFormat},
		{"number empty", func(r *Record) { r.Number = "" }, "$.number", RuleRequired},
		{"name empty", func(r *Record) { r.Name = "" }, "$.name", RuleRequired},
		{"not direct without createDate", func(r *Record) { r.CreateDate = deadline.Date{} }, "$.createDate", RuleCreateDate},
		{"createDate not a day", func(r *Record) { r.CreateDate = deadline.Date{Year: 2024, Month: 2, Day: 30} }, "$.createDate", RuleDate},
		{"no questions", func(r *Record) { r.Questions = nil }, "$.questions", RuleQuestions},
		{"code empty", func(r *Record) { r.Questions[0].Code = "" }, q0 + "code", RuleCode},
		{"code with letters", func(r *Record) { r.Questions[0].Code = "0005.0005.005A.1147" }, q0 + "code", RuleCode},
		{"code of six groups", func(r *Record) { r.Questions[0].Code = "0005.0005.0056.1147.0001.0001" }, q0 + "code", RuleCode},
		{"code unknown", func(r *Record) { r.Questions[0].Code = "0005.0005.0056.9999" }, q0 + "code", RuleCodeUnknown},
		{"code a topic", func(r *Record) { r.Questions[0].Code = "0005.0005.0056.0000" }, q0 + "code", RuleCodeLevel},
		{"code a section, short", func(r *Record) { r.Questions[0].Code = "0005" }, q0 + "code", RuleCodeUnknown},
		{"code repeated", func(r *Record) { r.Questions[1].Code = r.Questions[0].Code }, q1 + "code", RuleDuplicateCode},
		{"status misspelt", func(r *Record) { r.Questions[0].Status = "NotRecieved" }, q0 + "status", RuleStatus},
		{"status plizdu", func(r *Record) { r.Questions[0].Status = "Plizdu" }, q0 + "status", RuleStatus},
		{"status empty", func(r *Record) { r.Questions[0].Status = "" }, q0 + "status", RuleStatus},
		{"incoming before createDate", func(r *Record) { r.Questions[0].IncomingDate = day(1).AddDays(-1) }, q0 + "incomingDate", RuleIncomingDate},
		{"registration before incoming", func(r *Record) { r.Questions[1].RegistrationDate = day(3) }, q1 + "registrationDate", RuleRegistrationDate},
		{"response before registration", func(r *Record) { r.Questions[0].ResponseDate = day(4) }, q0 + "responseDate", RuleResponseDate},
		{"incoming not a day", func(r *Record) { r.Questions[0].IncomingDate = deadline.Date{Year: 2023, Month: 2, Day: 29} }, q0 + "incomingDate", RuleDate},
		{"year 10000", func(r *Record) { r.Questions[0].ResponseDate = deadline.Date{Year: 10000, Month: 1, Day: 1} }, q0 + "responseDate", RuleDate},
		{"result without attachment", func(r *Record) { r.Questions[0].Attachment = nil }, q0 + "attachment", RuleAttachmentRequired},
		{"answered without attachment", func(r *Record) {
			r.Questions[0].Status, r.Questions[0].ActionsTaken, r.Questions[0].Attachment = appeal.StatusAnswered, nil, nil
		}, q0 + "attachment", RuleAttachmentRequired},
		{"result without responseDate", func(r *Record) { r.Questions[0].ResponseDate = deadline.Date{} }, q0 + "responseDate", RuleStatusField},
		{"in work without registrationDate", func(r *Record) {
			r.Questions[1] = Question{Code: r.Questions[1].Code, Status: appeal.StatusInWork, IncomingDate: day(4)}
		}, q1 + "registrationDate", RuleStatusField},
		{"not registered without incomingDate", func(r *Record) {
			r.Questions[1] = Question{Code: r.Questions[1].Code, Status: appeal.StatusNotRegistered}
		}, q1 + "incomingDate", RuleStatusField},
		{"not registered with registrationDate", func(r *Record) {
			r.Questions[1] = Question{Code: r.Questions[1].Code, Status: appeal.StatusNotRegistered, IncomingDate: day(4), RegistrationDate: day(5)}
		}, q1 + "registrationDate", RuleNotApplicable},
		{"not received with a date", func(r *Record) {
			r.Questions[1] = Question{Code: r.Questions[1].Code, Status: appeal.StatusNotReceived, IncomingDate: day(4)}
		}, q1 + "incomingDate", RuleNotApplicable},
		{"transferred without transfer", func(r *Record) { r.Questions[1].Transfer = nil }, q1 + "transfer", RuleTransferRequired},
		{"transfer to no GUID", func(r *Record) { r.Questions[1].Transfer.DepartmentID = "" }, q1 + "transfer.departmentId", RuleUUID},
		{"transfer without date", func(r *Record) { r.Questions[1].Transfer.TransferDate = deadline.Date{} }, q1 + "transfer.transferDate", RuleRequired},
		{"transfer on a result", func(r *Record) { r.Questions[0].Transfer = r.Questions[1].Transfer }, q0 + "transfer", RuleNotApplicable},
		{"actionsTaken on Explained", func(r *Record) { r.Questions[0].Status = appeal.StatusExplained }, q0 + "actionsTaken", RuleNotApplicable},
		{"attachment on Transferred", func(r *Record) { r.Questions[1].Attachment = r.Questions[0].Attachment }, q1 + "attachment", RuleNotApplicable},
		{"responseDate in work", func(r *Record) {
			r.Questions[1].Status, r.Questions[1].Transfer, r.Questions[1].ResponseDate = appeal.StatusInWork, nil, day(9)
		}, q1 + "responseDate", RuleNotApplicable},
		{"isExtend on a result", func(r *Record) { r.Questions[0].IsExtend = yes() }, q0 + "isExtend", RuleNotApplicable},
		{"attachment without name", func(r *Record) { r.Questions[0].Attachment.Name = "" }, q0 + "attachment.name", RuleRequired},
		{"attachment of 7,500,000 bytes", func(r *Record) { r.Questions[0].Attachment.Content = make([]byte, 7_500_000) }, q0 + "attachment.content", RuleAttachmentSize},
	}
	require.GreaterOrEqual(t, len(tests), 30)
	var v Validator
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validRecord()
			tt.change(&r)
			got := v.Record(&r)
			assert.Contains(t, pathsRules(got, Error), found{tt.path, tt.rule})
			b, err := json.Marshal(r)
			require.NoError(t, err)
			assert.Equal(t, pathsRules(got, Error), pathsRules(v.JSON("r.json", b), Error), "Record and JSON disagree")
			for _, p := range got {
				assert.NotContains(t, p.String(), "Иванов")
			}
		})
	}
}

// TestInvalidJSON covers what only a JSON text can get wrong.
func TestInvalidJSON(t *testing.T) {
	valid, err := json.Marshal(validRecord())
	require.NoError(t, err)
	edit := func(old, new string) string {
		require.Contains(t, string(valid), old)
		return strings.Replace(string(valid), old, new, 1)
	}
	tests := []struct {
		name     string
		json     string
		path     string
		rule     Rule
		severity Severity
	}{
		{"not JSON", `{"departmentId":`, "$", RuleJSON, Error},
		{"trailing text", string(valid) + "x", "$", RuleJSON, Error},
		{"a number", `42`, "$", RuleType, Error},
		{"number missing", edit(`"number":"А26-05-00000000",`, ``), "$.number", RuleRequired, Error},
		{"questions missing", `{"departmentId":"` + ourDept + `","isDirect":true,"format":"Other","number":"1","name":"x"}`, "$.questions", RuleRequired, Error},
		{"isDirect a string", edit(`"isDirect":false`, `"isDirect":"false"`), "$.isDirect", RuleType, Error},
		{"address null", edit(`"address":"г. Москва"`, `"address":null`), "$.address", RuleType, Error},
		{"actionsTaken a string", edit(`"actionsTaken":true`, `"actionsTaken":"ДА"`), "$.questions[0].actionsTaken", RuleType, Error},
		{"questions an object", `{"departmentId":"` + ourDept + `","isDirect":true,"format":"Other","number":"1","name":"x","questions":{}}`, "$.questions", RuleType, Error},
		{"content not Base64", edit(`"content":"JVBERi0xLjQK"`, `"content":"%PDF"`), "$.questions[0].attachment.content", RuleBase64, Error},
		{"transferNumber missing", edit(`,"transferNumber":"01-15/123"`, ``), "$.questions[1].transfer.transferNumber", RuleRequired, Error},
		{"date-time", edit(`"responseDate":"2024-03-28"`, `"responseDate":"2024-03-28T00:00:00"`), "$.questions[0].responseDate", RuleDateTime, Warning},
		{"date with slashes", edit(`"incomingDate":"2024-03-04"`, `"incomingDate":"04.03.2024"`), "$.questions[0].incomingDate", RuleDate, Error},
		{"relay field", edit(`{"departmentId"`, `{"requestId":"392","departmentId"`), "$.requestId", RuleUnknownField, Warning},
		{"odd field name", edit(`{"departmentId"`, `{"dispatch date":null,"departmentId"`), `$["#9fc14aed"]`, RuleUnknownField, Warning},
		{"BOM", "\uFEFF" + string(valid), "$", RuleBOM, Warning},
		{"Supported without actionsTaken", edit(`"actionsTaken":true,`, ``), "$.questions[0].actionsTaken", RuleActionsTaken, Warning},
		{"array with a bad record", "[" + string(valid) + "," + edit(`"format":"Electronic"`, `"format":"Other","format2":1`) + "]", "$[1].format2", RuleUnknownField, Warning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := (&Validator{}).JSON("f.json", []byte(tt.json))
			assert.Contains(t, pathsRules(got, tt.severity), found{tt.path, tt.rule}, "%v", got)
			if tt.severity == Warning {
				assert.False(t, HasErrors(got), "%v", got)
				strict := (&Validator{Strict: true}).JSON("f.json", []byte(tt.json))
				assert.Contains(t, pathsRules(strict, Error), found{tt.path, tt.rule})
			}
		})
	}
}

func TestAllProblemsReported(t *testing.T) {
	r := validRecord()
	r.DepartmentID, r.Name = "", ""
	r.Questions[0].Attachment = nil
	r.Questions[1].Transfer = nil
	got := (&Validator{}).Record(&r)
	assert.Equal(t, []found{
		{"$.departmentId", RuleUUID},
		{"$.name", RuleRequired},
		{"$.questions[0].attachment", RuleAttachmentRequired},
		{"$.questions[1].transfer", RuleTransferRequired},
	}, pathsRules(got, Error))
	assert.Equal(t, "$.name: required", got[1].String())
}

func TestValidatorSubset(t *testing.T) {
	sub, err := classifier.Embedded().Subset(classifier.MustParse("0001.0001.0001.0001"))
	require.NoError(t, err)
	r := validRecord()
	got := (&Validator{Codes: sub}).Record(&r)
	assert.Equal(t, []found{{"$.questions[0].code", RuleCodeUnknown}}, pathsRules(got, Error))
}

func TestSchemaCompiles(t *testing.T) {
	_, err := compiled()
	require.NoError(t, err)
	assert.True(t, json.Valid(Schema()))
	assert.Contains(t, string(Schema()), `"SSTU RRO appeal (derived)"`)
}

func TestProblemJSON(t *testing.T) {
	ps := []Problem{{File: "a.zip#2", Path: "$", Rule: RuleLayout, Severity: Warning}, {Rule: RuleMore, Severity: Error, More: 3}}
	b, err := json.Marshal(ps)
	require.NoError(t, err)
	assert.Equal(t, `[{"file":"a.zip#2","path":"$","rule":"one object per \u003cuuid\u003e.json at the zip root","severity":"warning"},{"rule":"more problems","severity":"error","more":3}]`, string(b))
	var back []Problem
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, ps, back)
	assert.Equal(t, "3 more problems", back[1].String())
	assert.Error(t, json.Unmarshal([]byte(`[{"severity":"fatal"}]`), &back))
}
