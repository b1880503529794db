// Package appeal models the appeal card (карточка обращения).
package appeal
