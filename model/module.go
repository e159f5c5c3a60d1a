package model

import "sort"

func (s *State) opModuleLoad(t, name string) Result {
	m := s.modules[name]
	if m == nil {
		return invalid("ModuleLoad of unknown module %s", name)
	}
	if s.loaded[name] {
		return Result{Err: ErrExist}
	}
	if s.modEver[name] {
		return invalid("ModuleLoad(%s): a module is loaded at most once", name)
	}
	for _, drv := range m.Drivers {
		if s.drivers[drv] == nil {
			return invalid("module %s lists unknown driver %s", name, drv)
		}
	}
	s.modEver[name] = true
	// Init: register the drivers in order; on the first error unregister
	// those already registered, in reverse.
	for i, drv := range m.Drivers {
		if err := s.driverRegister(t, drv); err != nil {
			for j := i - 1; j >= 0; j-- {
				s.driverUnregister(t, m.Drivers[j])
			}
			return Result{Err: err}
		}
	}
	s.emit(Event{Kind: EvInitDone, Module: name})
	s.loaded[name] = true
	if !m.AsyncProbe {
		s.asyncSynchronizeFull()
	}
	return Result{}
}

func (s *State) opModuleUnload(t, name string) Result {
	m := s.modules[name]
	if m == nil {
		return invalid("ModuleUnload of unknown module %s", name)
	}
	if !s.loaded[name] {
		return Result{Err: ErrInval}
	}
	for j := len(m.Drivers) - 1; j >= 0; j-- {
		s.driverUnregister(t, m.Drivers[j])
	}
	s.loaded[name] = false
	return Result{}
}

// LoadedModules returns the loaded modules, sorted.
func (s *State) LoadedModules() []string {
	var out []string
	for n, l := range s.loaded {
		if l {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
