package properties

// FollowFirstClient runs p's first client on the model alone, as the
// sequential comparison does, and returns how many of its operations the
// model followed and, when it stopped before the end, why.
func FollowFirstClient(p Program) (followed int, stopped string) {
	mb := &modelBackend{s: newModel(p, Options{})}
	mc := &client{b: mb, sh: newShared(noLock{}), driverModule: driverModules(p)}
	for _, o := range p.Clients[0] {
		mc.do(o)
		if mb.stopped != "" {
			return followed, mb.stopped
		}
		followed++
	}
	return followed, ""
}
