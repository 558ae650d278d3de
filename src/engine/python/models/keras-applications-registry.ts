/**
 * Parameter counts of `keras.applications` constructors with their default 1000-class ImageNet top.
 * Source: the "Available models" table of the Keras Applications documentation (keras.io/applications
 * for Keras 2.2–2.3 listed exact counts; today's keras.io/api/applications rounds them, e.g. "25.6M",
 * and every value below rounds to the current table's entry). Models the old table did not list
 * exactly (EfficientNet, ConvNeXt, MobileNetV3) are left out rather than given a rounded count.
 *
 * `features` is the width the classifier reads (pooled features, or VGG's fc2), so `classes=N` gives
 * parameters - 1000 * (features + 1) + N * (features + 1); `noTop` is the count with `include_top=False`
 * (for all but VGG, parameters - 1000 * (features + 1): ResNet50 gives 23,587,712, as Keras prints).
 */
export interface KerasApplication {
  parameters: number;
  features: number;
  /** `include_top=False` when it is not simply the count without the last Dense layer (VGG drops fc1 and fc2). */
  noTop?: number;
  /** Default input size (height, width), channels-last. */
  input: [number, number];
}

export const KERAS_APPLICATIONS: Readonly<Record<string, KerasApplication>> = {
  Xception: { parameters: 22_910_480, features: 2048, input: [299, 299] },
  VGG16: { parameters: 138_357_544, features: 4096, noTop: 14_714_688, input: [224, 224] },
  VGG19: { parameters: 143_667_240, features: 4096, noTop: 20_024_384, input: [224, 224] },
  ResNet50: { parameters: 25_636_712, features: 2048, input: [224, 224] },
  ResNet101: { parameters: 44_707_176, features: 2048, input: [224, 224] },
  ResNet152: { parameters: 60_419_944, features: 2048, input: [224, 224] },
  ResNet50V2: { parameters: 25_613_800, features: 2048, input: [224, 224] },
  ResNet101V2: { parameters: 44_675_560, features: 2048, input: [224, 224] },
  ResNet152V2: { parameters: 60_380_648, features: 2048, input: [224, 224] },
  InceptionV3: { parameters: 23_851_784, features: 2048, input: [299, 299] },
  InceptionResNetV2: { parameters: 55_873_736, features: 1536, input: [299, 299] },
  MobileNet: { parameters: 4_253_864, features: 1024, input: [224, 224] },
  MobileNetV2: { parameters: 3_538_984, features: 1280, input: [224, 224] },
  DenseNet121: { parameters: 8_062_504, features: 1024, input: [224, 224] },
  DenseNet169: { parameters: 14_307_880, features: 1664, input: [224, 224] },
  DenseNet201: { parameters: 20_242_984, features: 1920, input: [224, 224] },
  NASNetMobile: { parameters: 5_326_716, features: 1056, input: [224, 224] },
  NASNetLarge: { parameters: 88_949_818, features: 4032, input: [331, 331] },
};

export const KERAS_APPLICATIONS_SOURCE = 'Keras Applications documentation, "Available models" table (keras.io/api/applications)';
