package sut

// Bug selects a seeded historical bug of spec §16. The zero value is the
// correct core.
type Bug string

// The bug variants of spec §16.
const (
	BugNone Bug = ""
	BugH1   Bug = "H1"   // void async registration drops Owner on failure
	BugH2   Bug = "H2"   // registration job reads d.parent after its final put
	BugH2b  Bug = "H2b"  // registration job skips the parent put
	BugH3   Bug = "H3"   // no triggerCount re-check after a deferral
	BugH4   Bug = "H4"   // probe gates ignore dead
	BugH5   Bug = "H5"   // async attach scheduled under the device lock
	BugH6   Bug = "H6"   // gated unregister skips the kill gate
	BugH7a  Bug = "H7a"  // NewAndRegister raw-frees a device after a failed add
	BugH7b  Bug = "H7b"  // NewAndRegister omits the put after a failed add
	BugH8   Bug = "H8"   // DeviceDel leaves devres to the release
	BugH9   Bug = "H9"   // driver_detach does not drain async probes
	BugH9d  Bug = "H9d"  // the drain sits in __device_release_driver, under lock(d)
	BugH10A Bug = "H10A" // match takes the device lock
	BugH10B Bug = "H10B" // match reads the override through the pointer
)

// Config configures a Core. The zero value is the correct core with no
// async limit.
type Config struct {
	// Bug selects a historical bug variant (§16).
	Bug Bug
	// MaxPending is the async layer's limit: when more than MaxPending
	// entries are pending, AsyncSchedule runs the new entry inline (§9).
	// Zero or less means no limit.
	MaxPending int
	// AsyncProbeDrivers names the drivers of ProbeType Default that allow
	// async probing (the kernel's driver_async_probe= parameter).
	AsyncProbeDrivers []string
	Stress
}

// Stress is the core's stress modes (§17), its parent locking and its
// finer yields: the switches a test run draws per execution (properties
// embeds it in its Options). The zero value is none of them.
type Stress struct {
	// ReprobeAfterProbe follows every successful probe by a remove and a
	// second probe (CONFIG_DEBUG_TEST_DRIVER_REMOVE, §17).
	ReprobeAfterProbe bool
	// DelayedRelease runs every release as a separate, later task
	// (CONFIG_DEBUG_KOBJECT_RELEASE, §17), after the Y-RELEASE point.
	DelayedRelease bool
	// NeedParentLock makes path B, the driver attach job, Bind, Unbind and
	// driver_detach take lock(parent) before lock(d) (§1).
	NeedParentLock bool
	// FineYields adds the Y-REF yield point before every Get and Put.
	FineYields bool
}
