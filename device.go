package mlx

import (
	"fmt"
	"sort"
	"unsafe"
)

// DeviceType is the kind of a device: CPU or GPU.
type DeviceType int

// The device types of MLX. Each also stands for device 0 of its type wherever a
// StreamOrDevice is accepted, as mx.cpu and mx.gpu do in Python.
const (
	CPU DeviceType = mlxCPU
	GPU DeviceType = mlxGPU
)

// String returns "cpu" or "gpu".
func (t DeviceType) String() string {
	switch t {
	case CPU:
		return "cpu"
	case GPU:
		return "gpu"
	}
	return "DeviceType(" + itoa(int(t)) + ")"
}

// Device is one device of MLX, like Python's mx.Device(type, index).
// Devices are values: compare them with ==.
type Device struct {
	Type  DeviceType
	Index int
}

// String prints the device as Python MLX does: "Device(cpu, 0)".
func (d Device) String() string {
	return "Device(" + d.Type.String() + ", " + itoa(d.Index) + ")"
}

// DeviceCount returns how many devices of type t the loaded MLX has: 1 CPU;
// as many GPUs as its GPU backend (Metal, CUDA) sees, 0 without one.
func DeviceCount(t DeviceType) int {
	if t != CPU && t != GPU {
		return 0
	}
	var n cint
	if msg := gomlxDeviceCount(cint(t), &n); msg != nil {
		cFree(unsafe.Pointer(msg))
		return 0
	}
	return int(n)
}

// IsAvailable reports whether MLX can run on d: its backend is built in and
// the index names an existing device.
func (d Device) IsAvailable() bool {
	if d.check("is_available") != nil {
		return false
	}
	var ok cbool
	if msg := gomlxDeviceIsAvailable(cint(d.Type), cint(d.Index), &ok); msg != nil {
		cFree(unsafe.Pointer(msg))
		return false
	}
	return bool(ok)
}

// check validates d against the devices MLX has.
func (d Device) check(op string) error {
	if d.Type != CPU && d.Type != GPU {
		return newError(op, fmt.Sprintf("invalid device type %d", int(d.Type)), ErrInvalidArgument)
	}
	n := DeviceCount(d.Type)
	if n == 0 {
		return newError(op, fmt.Sprintf("%v: this MLX has no %s backend", d, d.Type), ErrInvalidArgument)
	}
	if d.Index < 0 || d.Index >= n || d.Index >= gomlxMaxDevices {
		return newError(op, fmt.Sprintf("%v: device index out of range (%d %s device(s))", d, n, d.Type), ErrInvalidArgument)
	}
	return nil
}

// DefaultDevice returns the device that ops use when they are given no stream
// or device: the calling goroutine's scoped default (WithStream) if it is in a
// scope, else the global default (SetDefaultDevice). MLX starts with the GPU
// where a GPU backend exists, else the CPU.
func DefaultDevice() Device {
	v := int(gomlxEffectiveDefaultDevice())
	return Device{Type: DeviceType(v >> 16), Index: v & 0xffff}
}

// SetDefaultDevice makes d the global default device. It fails, changing
// nothing, if MLX cannot run on d (for example a GPU where MLX has no GPU
// backend).
func SetDefaultDevice(d Device) error {
	const op = "set_default_device"
	if err := d.check(op); err != nil {
		return err
	}
	if err := ensureDefaultStream(op, d); err != nil {
		return err
	}
	defaultsMu.Lock()
	defer defaultsMu.Unlock()
	if r := ownerTask(gomlxTaskSetDefaultDevice, d, nil, nil, 0); r.err != nil {
		return takeError(op, r.err)
	}
	gomlxSetDefaultDevice(cint(d.Type), cint(d.Index))
	return nil
}

// DeviceInfo holds what MLX reports about a device (Python's
// mx.device_info()): string values such as "device_name" and "architecture",
// and sizes in bytes or counts (uint64) such as "memory_size" on GPUs.
type DeviceInfo map[string]any

// String returns the string value of key and whether it exists.
func (i DeviceInfo) String(key string) (string, bool) {
	s, ok := i[key].(string)
	return s, ok
}

// Size returns the size value of key and whether it exists.
func (i DeviceInfo) Size(key string) (uint64, bool) {
	n, ok := i[key].(uint64)
	return n, ok
}

// Keys returns the keys in sorted order.
func (i DeviceInfo) Keys() []string {
	keys := make([]string, 0, len(i))
	for k := range i {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Info returns every key MLX reports about d.
func (d Device) Info() (DeviceInfo, error) {
	const op = "device_info"
	if err := d.check(op); err != nil {
		return nil, err
	}
	var info mlxDeviceInfo
	var keys mlxVectorString
	msg := gomlxDeviceInfo(cint(d.Type), cint(d.Index), &info, &keys)
	defer mlxDeviceInfoFree(info)
	defer mlxVectorStringFree(keys)
	if msg != nil {
		return nil, takeError(op, msg)
	}
	out := DeviceInfo{}
	n := int(mlxVectorStringSize(keys))
	for k := 0; k < n; k++ {
		var key *cchar
		if msg := gomlxStatus(mlxVectorStringGet(&key, keys, csize(k))); msg != nil {
			return nil, takeError(op, msg)
		}
		var isString cbool
		var s *cchar
		var size csize
		if msg := gomlxDeviceInfoValue(info, key, &isString, &s, &size); msg != nil {
			return nil, takeError(op, msg)
		}
		if isString {
			out[goString(key)] = goString(s)
		} else {
			out[goString(key)] = uint64(size)
		}
	}
	return out, nil
}

// takeError converts and frees a message returned by a shim.
func takeError(op string, msg *cchar) *Error {
	s := goString(msg)
	cFree(unsafe.Pointer(msg))
	return mlxError(op, s)
}
