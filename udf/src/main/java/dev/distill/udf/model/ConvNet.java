package dev.distill.udf.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * The ConvNet of the dataset-distillation literature (DC, DSA, MTT, RDED): {@code depth} blocks of
 * 3×3 conv (width 128) → BatchNorm (or instance norm) → ReLU → 2×2 average pool, then a linear head on the flattened
 * map. A 28-pixel input gets padding 3 on the first conv so it is treated as 32×32, as in the
 * reference code, which gives MNIST-style data the same feature size as CIFAR.
 */
public final class ConvNet {
  public static final int WIDTH = 128;

  private ConvNet() {}

  public static SequentialBlock build(int depth, int width, int inputSize, int classes, boolean instanceNorm) {
    SequentialBlock net = new SequentialBlock();
    for (int i = 0; i < depth; i++) {
      int pad = (i == 0 && inputSize == 28) ? 3 : 1;
      net.add(Conv2d.builder()
              .setKernelShape(new Shape(3, 3))
              .optPadding(new Shape(pad, pad))
              .setFilters(width)
              .build())
          .add(instanceNorm ? new InstanceNorm() : BatchNorm.builder().build())
          .add(Activation.reluBlock())
          .add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    }
    return net.add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(classes).build());
  }
}
