package model

import "strconv"

// Holder labels (§2), spelled exactly as the implementation spells them.
const (
	LabelOwner          = "Owner"
	LabelReg            = "Reg"
	LabelAddTransient   = "AddTransient"
	LabelDeferredWorker = "DeferredWorker"
)

// Context names used in task-labelled holders when the code runs outside a
// program task: async entry e is "A<e>" and the deferred worker is "W".
// Such labels are transient (dropped within the same entry or worker run)
// and never appear in a quiescent snapshot.
const workerCtx = "W"

func entryCtx(cookie int) string { return "A" + strconv.Itoa(cookie) }

func parentOfLabel(child string) string { return "ParentOf(" + child + ")" }
func taskLabel(t string) string         { return "Task(" + t + ")" }
func lookupLabel(t string) string       { return "Lookup(" + t + ")" }
func iteratorLabel(t string) string     { return "Iterator(" + t + ")" }
func detachLabel(t string) string       { return "Detach(" + t + ")" }

func asyncAttachLabel(cookie int) string { return "AsyncAttach(" + strconv.Itoa(cookie) + ")" }
func asyncAttachParentLabel(cookie int) string {
	return "AsyncAttachParent(" + strconv.Itoa(cookie) + ")"
}
func asyncRegisterLabel(cookie int) string {
	return "AsyncRegister(" + strconv.Itoa(cookie) + ")"
}
func asyncRegisterParentLabel(cookie int) string {
	return "AsyncRegisterParent(" + strconv.Itoa(cookie) + ")"
}
func asyncUnregisterLabel(cookie int) string {
	return "AsyncUnregister(" + strconv.Itoa(cookie) + ")"
}
func devresLabel(dev string, k int) string { return "Devres(" + dev + "/" + strconv.Itoa(k) + ")" }
