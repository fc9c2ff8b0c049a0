import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';

/**
 * Sequelize models mirroring the migrations (which are the truth of the schema). Timestamps map to
 * the seed's single `created_at` column; there is no `updated_at`. Classes are made per Sequelize
 * instance, so two connections (say, a test's second database) never share model state.
 */
export function defineModels(sequelize: Sequelize) {
  class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
    declare id: CreationOptional<number>;
    declare email: string;
    declare name: string;
    declare created_at: CreationOptional<Date>;
    declare products?: NonAttribute<Product[]>;
  }

  class Product extends Model<InferAttributes<Product>, InferCreationAttributes<Product>> {
    declare id: CreationOptional<number>;
    declare name: string | null;
    declare owner_id: number | null;
    declare owner?: NonAttribute<User | null>;
  }

  User.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      email: { type: DataTypes.STRING, allowNull: false, unique: true },
      name: { type: DataTypes.STRING, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, tableName: 'users', modelName: 'User', timestamps: true, createdAt: 'created_at', updatedAt: false },
  );
  Product.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.STRING, allowNull: true },
      owner_id: { type: DataTypes.INTEGER, allowNull: true },
    },
    { sequelize, tableName: 'products', modelName: 'Product', timestamps: false },
  );
  // Both directions of the seed's relationship: user.products and product.owner.
  User.hasMany(Product, { as: 'products', foreignKey: 'owner_id', onDelete: 'SET NULL' });
  Product.belongsTo(User, { as: 'owner', foreignKey: 'owner_id' });
  return { User, Product };
}

export type Models = ReturnType<typeof defineModels>;
