package main

import (
	"context"
	"fmt"
	"time"

	"github.com/fz59/appeals/examples/reception/site"
	"github.com/fz59/appeals/workflow"
	"github.com/google/uuid"
)

// login is a demo login with its password in clear, printed once at the first start.
type login struct {
	site.Staff
	Password string
}

// demoStaff are the staff the first start creates: one per role of the story.
var demoStaff = []site.Staff{
	{Login: "clerk", Name: "Делопроизводитель Петрова", Roles: []workflow.Role{workflow.RoleClerk}},
	{Login: "manager", Name: "Глава администрации Сидоров", Roles: []workflow.Role{workflow.RoleManager}},
	{Login: "executor", Name: "Специалист Кузнецов", Roles: []workflow.Role{workflow.RoleExecutor}},
	{Login: "auditor", Name: "Проверяющий Орлов", Roles: []workflow.Role{workflow.RoleAuditor}},
}

// The settings names the organization is kept under.
const (
	settingOrgName    = "org.name"
	settingDepartment = "org.department"
)

// bootstrap creates the demo organization and staff on a first start (no staff yet) and
// returns the logins with their random passwords; on a later start it returns none. Either way
// it returns the organization as the settings keep it.
func bootstrap(ctx context.Context, db *site.DB, loc *time.Location) (workflow.Organization, []login, error) {
	org := workflow.Organization{Location: loc, Series: "Ж", Signatory: "Глава администрации И. И. Сидоров"}
	has, err := db.HasStaff(ctx)
	if err != nil {
		return org, nil, err
	}
	var created []login
	if !has {
		if err := db.SetSetting(ctx, settingOrgName, "Администрация муниципального образования «Демо»"); err != nil {
			return org, nil, err
		}
		if err := db.SetSetting(ctx, settingDepartment, uuid.NewString()); err != nil {
			return org, nil, err
		}
		for _, s := range demoStaff {
			l := login{Staff: s, Password: randomToken(6)}
			if err := db.AddStaff(ctx, s, l.Password); err != nil {
				return org, nil, fmt.Errorf("demo staff: %w", err)
			}
			created = append(created, l)
		}
	}
	org.Name, _, err = db.Setting(ctx, settingOrgName)
	if err != nil {
		return org, nil, err
	}
	org.DepartmentID, _, err = db.Setting(ctx, settingDepartment)
	org.NameGenitive = "Администрации муниципального образования «Демо»"
	org.NamePrepositional = org.NameGenitive
	return org, created, err
}

// addressees are the officials the demo form offers.
var addressees = []string{"Глава администрации", "Заместитель главы по ЖКХ", "Отдел образования", "Отдел социальной защиты"}
