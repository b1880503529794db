package appeal

// Version is the version of the fz59/appeals module, printed by the example programs'
// -version flag. It follows semantic versioning; CHANGELOG.md has each release's changes.
const Version = "0.1.0"
